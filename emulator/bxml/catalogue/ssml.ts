// SSML elements allowed inside <SpeakSentence> (bandwidth.md §2.17). They are markup of the
// sentence, not verbs: each may stand in SpeakSentence or inside another SSML container element.

import type { AttributeSpec, ElementSpec } from "../spec.js";
import { ALL_CONTEXTS } from "./common.js";

export const SSML_ELEMENT_NAMES: readonly string[] = ["break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub"];

/** SSML elements that may hold other SSML elements. */
const CONTAINERS: readonly string[] = ["emphasis", "lang", "p", "prosody", "s"];
const PARENTS: readonly string[] = ["SpeakSentence", ...CONTAINERS];
// bandwidth.md §2.17
const DOCS = ["https://dev.bandwidth.com/docs/voice/bxml/speakSentence"];

function ssml(name: string, attributes: Record<string, AttributeSpec>, opts: { container: boolean; text: boolean }): ElementSpec {
  return {
    name,
    kind: "noun",
    parents: PARENTS,
    contexts: ALL_CONTEXTS,
    text: opts.text ? { required: false, kind: "ssml", trim: false } : null,
    attributes,
    children: { allowed: opts.container ? SSML_ELEMENT_NAMES : [] },
    execution: "noun",
    bxmlWebhooks: [],
    notificationWebhooks: [],
    docs: DOCS,
  };
}

export const LANG_CODES: readonly string[] = [
  "arb", "cmn-CN", "da-DK", "nl-NL", "en-AU", "en-GB", "en-IN", "en-US", "fr-FR", "fr-CA", "hi-IN", "de-DE", "is-IS", "it-IT",
  "ja-JP", "ko-KR", "nb-NO", "pl-PL", "pt-BR", "pt-PT", "ro-RO", "ru-RU", "es-ES", "es-MX", "es-US", "sv-SE", "tr-TR", "cy-GB",
];

/** `1s`, `1.5s`, `500ms`; the ≤ 10 s cap is checked by the acceptance rule. */
export const SSML_TIME = /^\s*\d+(\.\d+)?\s*(s|ms)\s*$/;

export const ssmlSpecs: Readonly<Record<string, ElementSpec>> = {
  break: ssml(
    "break",
    {
      strength: { type: "ENUM", values: ["none", "x-weak", "weak", "medium", "strong", "x-strong"], default: "medium" },
      time: { type: "STR", pattern: SSML_TIME, max: 10, note: "seconds or milliseconds (`1s`, `1000ms`), at most 10 s" },
    },
    { container: false, text: false },
  ),
  emphasis: ssml("emphasis", { level: { type: "ENUM", values: ["strong", "moderate", "reduced"] } }, { container: true, text: true }),
  lang: ssml("lang", { "xml:lang": { type: "ENUM", values: LANG_CODES, required: true } }, { container: true, text: true }),
  p: ssml("p", {}, { container: true, text: true }),
  phoneme: ssml(
    "phoneme",
    { ph: { type: "STR", required: true, note: "IPA transcription" }, alphabet: { type: "ENUM", values: ["ipa", "x-sampa"] } },
    { container: false, text: true },
  ),
  prosody: ssml(
    "prosody",
    {
      pitch: {
        type: "STR",
        pattern: /^\s*(x-low|low|medium|high|x-high|default|[+-]\d+(\.\d+)?%)\s*$/i,
        note: "x-low, low, medium, high, x-high, default, or ±N%",
      },
      rate: { type: "STR", pattern: /^\s*(x-slow|slow|medium|fast|x-fast|\+?\d+(\.\d+)?%)\s*$/i, note: "x-slow, slow, medium, fast, x-fast, or a positive N%" },
      volume: {
        type: "STR",
        pattern: /^\s*(silent|x-soft|soft|medium|loud|x-loud|default|[+-]\d+(\.\d+)?dB)\s*$/i,
        note: "silent, x-soft, soft, medium, loud, x-loud, default, or ±NdB",
      },
    },
    { container: true, text: true },
  ),
  s: ssml("s", {}, { container: true, text: true }),
  "say-as": ssml(
    "say-as",
    {
      "interpret-as": { type: "ENUM", values: ["date", "time", "telephone", "characters", "cardinal", "ordinal"], required: true },
      format: {
        type: "ENUM",
        values: ["mdy", "dmy", "ymd", "md", "dm", "ym", "my", "d", "m", "y"],
        requiredWhen: { attribute: "interpret-as", equals: "date" },
      },
    },
    { container: false, text: true },
  ),
  sub: ssml("sub", { alias: { type: "STR", required: true, note: "text to speak instead" } }, { container: false, text: true }),
};
