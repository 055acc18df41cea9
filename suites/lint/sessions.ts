// What the document's StartStream/StartTranscription verbs would leave running, verb by verb: the
// basis of the duplicate-name and track-limit rules (§3.1 steps 2–3, §2.23). Only this document is
// known; streams started by earlier documents are invisible to a static check.
import { attrValue, nameOf, trackWeight, verbs } from "./util.js";
import type { BxmlElement } from "./util.js";

export interface Family {
  start: "StartStream" | "StartTranscription";
  stop: "StopStream" | "StopTranscription";
  /** A stop without a name stops every session of the family (StopTranscription, §2.24). */
  stopAllWithoutName: boolean;
  /** Words for messages: the rule id prefix, one session, the rejection webhook, what "fewer tracks" means. */
  prefix: "stream" | "transcription";
  noun: string;
  rejected: string;
  fewer: string;
}

export const STREAMS: Family = { start: "StartStream", stop: "StopStream", stopAllWithoutName: false, prefix: "stream", noun: "stream", rejected: "mediaStreamRejected", fewer: "Stream fewer tracks" };
export const TRANSCRIPTIONS: Family = {
  start: "StartTranscription",
  stop: "StopTranscription",
  stopAllWithoutName: true,
  prefix: "transcription",
  noun: "transcription",
  rejected: "realTimeTranscriptionRejected",
  fewer: "Transcribe fewer tracks",
};

export interface Session {
  el: BxmlElement;
  name?: string;
  weight: number;
}

export type Outcome =
  | { kind: "started"; session: Session; activeTracks: number }
  | { kind: "duplicate"; session: Session; original: Session }
  | { kind: "track-limit"; session: Session; activeTracks: number };

/** Replays the family's verbs in order; each start gets an outcome as the carrier would decide it. */
export function replay(root: BxmlElement, family: Family, limit = 4): Outcome[] {
  const active: Session[] = [];
  const out: Outcome[] = [];
  for (const el of verbs(root)) {
    if (el.name === family.stop) {
      const n = attrValue(el, "name");
      if ((n === undefined || n === "") && family.stopAllWithoutName) active.length = 0;
      else for (let i = active.length - 1; i >= 0; i--) if (active[i].name === n) active.splice(i, 1);
      continue;
    }
    if (el.name !== family.start) continue;
    const session: Session = { el, name: nameOf(el), weight: trackWeight(el) };
    const original = session.name === undefined ? undefined : active.find((s) => s.name === session.name);
    const used = active.reduce((t, s) => t + s.weight, 0);
    if (original) out.push({ kind: "duplicate", session, original });
    else if (used + session.weight > limit) out.push({ kind: "track-limit", session, activeTracks: used });
    else {
      active.push(session);
      out.push({ kind: "started", session, activeTracks: used + session.weight });
    }
  }
  return out;
}
