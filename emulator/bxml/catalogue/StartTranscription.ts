import type { ElementSpec } from "../spec.js";
import { bool, CALL_AND_TRANSFER_ANSWER, credentials, enumOf, method, ROOT, str, TRACKS, url } from "./common.js";

/** Real-time transcription of the call, optionally sent live to a WebSocket. */
const StartTranscription: ElementSpec = {
  name: "StartTranscription",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    name: str("unique per call; default: the generated transcription id"),
    tracks: enumOf(TRACKS, "inbound"),
    transcriptionEventUrl: url("receives realTimeTranscription* events (no BXML); may be relative"),
    transcriptionEventMethod: method,
    ...credentials,
    destination: { type: "WSURI", note: "live transcript messages go to this ws(s):// URL" },
    stabilized: bool("true", "send only stable updates; needs destination"),
  },
  children: { allowed: ["CustomParam"], max: 12 },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: [
    "realTimeTranscriptionStarted",
    "realTimeTranscriptionRejected",
    "realTimeTranscriptionStopped",
    "realTimeTranscriptionAvailable",
  ],
  // bandwidth.md §2.23, ED-7, OPEN-6, OPEN-15
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startTranscription"],
};
export default StartTranscription;
