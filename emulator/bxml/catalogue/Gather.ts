import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, credentials, fallbackCredentials, method, num, ROOT, str, tag, url } from "./common.js";

/** Collects DTMF digits, optionally while playing nested SpeakSentence / PlayAudio prompts. */
const Gather: ElementSpec = {
  name: "Gather",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    gatherUrl: url("receives gather; its reply replaces the rest of the document"),
    gatherMethod: method,
    gatherFallbackUrl: url(),
    gatherFallbackMethod: method,
    ...credentials,
    ...fallbackCredentials,
    tag,
    terminatingDigits: str("any of these digits ends the gather; empty = off", { default: "" }),
    maxDigits: num(1, 50, "50"),
    interDigitTimeout: num(1, 60, "5", "1–60 s"),
    firstDigitTimeout: num(0, 60, "5", "0–60 s, counted after nested audio ends"),
    repeatCount: num(1, undefined, "1", "repeatCount × number of nested prompts ≤ 20"),
  },
  children: { allowed: ["SpeakSentence", "PlayAudio"], max: 20 },
  execution: "blocking",
  bxmlWebhooks: ["gather"],
  notificationWebhooks: [],
  replacesDocumentVia: ["gatherUrl"],
  ignoredAttributes: {
    input: "speech input (`input=\"dtmf|speech|dtmf_speech\"`) exists only in Bandwidth's migration translator; Gather collects DTMF only",
  },
  // bandwidth.md §2.6
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/gather"],
};
export default Gather;
