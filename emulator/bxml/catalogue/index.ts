// The verb and noun catalogue of bandwidth.md §2 as data: one file per element, collected here.
// The acceptance rules, the pitfall rules and the carrier's executors all read these entries.

import type { AttributeSpec, ElementSpec } from "../spec.js";
import Bridge from "./Bridge.js";
import Conference from "./Conference.js";
import Connect from "./Connect.js";
import CustomParam from "./CustomParam.js";
import Endpoint from "./Endpoint.js";
import Forward from "./Forward.js";
import Gather from "./Gather.js";
import Hangup from "./Hangup.js";
import Pause from "./Pause.js";
import PauseRecording from "./PauseRecording.js";
import PhoneNumber from "./PhoneNumber.js";
import PlayAudio from "./PlayAudio.js";
import Record from "./Record.js";
import Redirect from "./Redirect.js";
import Refer from "./Refer.js";
import ResumeRecording from "./ResumeRecording.js";
import Ring from "./Ring.js";
import SendDtmf from "./SendDtmf.js";
import SipUri from "./SipUri.js";
import SpeakSentence from "./SpeakSentence.js";
import { ssmlSpecs } from "./ssml.js";
import StartGather from "./StartGather.js";
import StartRecording from "./StartRecording.js";
import StartStream from "./StartStream.js";
import StartTranscription from "./StartTranscription.js";
import StopGather from "./StopGather.js";
import StopRecording from "./StopRecording.js";
import StopStream from "./StopStream.js";
import StopTranscription from "./StopTranscription.js";
import StreamParam from "./StreamParam.js";
import Tag from "./Tag.js";
import Transfer from "./Transfer.js";

export { SSML_ELEMENT_NAMES } from "./ssml.js";
export { TTS_VOICES, TTS_LOCALES } from "./SpeakSentence.js";

/** Root element names (§1.1). */
export const ROOT_ELEMENTS: readonly string[] = ["Response", "Bxml"];

const BXML: readonly ElementSpec[] = [
  Bridge, Conference, Connect, Endpoint, Forward, Gather, Hangup, Pause, PauseRecording, ResumeRecording,
  StopRecording, PlayAudio, Record, Redirect, Refer, Ring, SendDtmf, SpeakSentence, StartGather, StopGather,
  StartRecording, StartStream, StreamParam, StopStream, StartTranscription, StopTranscription, CustomParam,
  Tag, Transfer, PhoneNumber, SipUri,
];

/** Every element of §2 (verbs, nouns) and the SSML elements of §2.17, by name. */
export const catalogue: Readonly<Record<string, ElementSpec>> = Object.freeze(
  Object.fromEntries([...BXML.map((s) => [s.name, s] as const), ...Object.entries(ssmlSpecs)]),
);

/**
 * Names of the verbs (elements that may stand at root level), in catalogue order, as a type that
 * registries are keyed by (a test checks it is exactly the specs of kind "verb").
 */
export const VERB_NAMES = [
  "Bridge", "Conference", "Connect", "Forward", "Gather", "Hangup", "Pause", "PauseRecording", "ResumeRecording",
  "StopRecording", "PlayAudio", "Record", "Redirect", "Refer", "Ring", "SendDtmf", "SpeakSentence", "StartGather", "StopGather",
  "StartRecording", "StartStream", "StopStream", "StartTranscription", "StopTranscription", "Tag", "Transfer",
] as const;
export type VerbName = (typeof VERB_NAMES)[number];

/** Names of every BXML element (verbs and nouns, not SSML). */
export const BXML_ELEMENT_NAMES: readonly string[] = BXML.map((s) => s.name);

export function getSpec(name: string): ElementSpec | undefined {
  return Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
}

/** The attributes an element takes under `parentName` (SipUri inside Refer takes none, §2.13). */
export function attributesFor(spec: ElementSpec, parentName: string | undefined): Readonly<Record<string, AttributeSpec>> {
  const under = parentName !== undefined && spec.attributesUnder && Object.hasOwn(spec.attributesUnder, parentName) ? spec.attributesUnder[parentName] : undefined;
  return under ?? spec.attributes;
}

/** The spec of one attribute of `spec`, or undefined when it is not documented there. */
export function attributeSpec(spec: ElementSpec, name: string, parentName?: string): AttributeSpec | undefined {
  const attrs = attributesFor(spec, parentName);
  return Object.hasOwn(attrs, name) ? attrs[name] : undefined;
}

/**
 * The known element name closest to `name`: same letters in another case (`startStream`), or an
 * edit distance of at most 2 (`SpeakSentance`). `among` defaults to the BXML elements.
 */
export function suggestElementName(name: string, among: readonly string[] = BXML_ELEMENT_NAMES): string | undefined {
  const lower = name.toLowerCase();
  const folded = among.find((n) => n.toLowerCase() === lower);
  if (folded) return folded;
  const squashed = lower.replace(/[-_\s]/g, "");
  const bySquash = among.find((n) => n.toLowerCase() === squashed);
  if (bySquash) return bySquash;
  if (name.length < 4) return undefined;
  return nearest(name, among, Math.min(3, Math.floor(name.length / 3) + 1));
}

/** The name of `among` closest to `name` (case-insensitive edit distance below `limit`), if any. */
export function nearest(name: string, among: readonly string[], limit: number): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = limit;
  for (const n of among) {
    const d = distance(lower, n.toLowerCase(), bestD);
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

/** Levenshtein distance, or `cap` as soon as it cannot be below `cap`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
