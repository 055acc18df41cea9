import type { ElementSpec } from "../spec.js";
import { bool, CALL_AND_TRANSFER_ANSWER, credentials, enumOf, fallbackCredentials, method, num, ROOT, str, tag, url } from "./common.js";

/** Records a segment of the call (voicemail style). */
const Record: ElementSpec = {
  name: "Record",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    recordCompleteUrl: url("receives recordComplete; its reply replaces the rest of the document"),
    recordCompleteMethod: method,
    recordCompleteFallbackUrl: url(),
    recordCompleteFallbackMethod: method,
    recordingAvailableUrl: url("receives recordingAvailable (no BXML)"),
    recordingAvailableMethod: method,
    transcribe: bool("false"),
    detectLanguage: bool("false"),
    transcriptionAvailableUrl: url("receives transcriptionAvailable (no BXML)"),
    transcriptionAvailableMethod: method,
    ...credentials,
    ...fallbackCredentials,
    tag,
    terminatingDigits: str("empty disables", { default: "#" }),
    maxDuration: num(0, 10800, "60", "≤ 10800 s"),
    silenceTimeout: num(0, 10800, "0", "≤ 10800 s; 0 = off"),
    fileFormat: enumOf(["wav", "mp3"], "wav"),
  },
  children: { allowed: [] },
  execution: "blocking",
  bxmlWebhooks: ["recordComplete"],
  notificationWebhooks: ["recordingAvailable", "transcriptionAvailable"],
  replacesDocumentVia: ["recordCompleteUrl"],
  misspellings: {
    recordCompleteFallback_url: "recordCompleteFallbackUrl",
    recordCompleteFallback_method: "recordCompleteFallbackMethod",
  },
  // bandwidth.md §2.11
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/record"],
};
export default Record;
