import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, ROOT, str } from "./common.js";

/** Stops one real-time transcription by name, or all of them when `name` is absent. */
const StopTranscription: ElementSpec = {
  name: "StopTranscription",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    name: str("absent: stops all real-time transcriptions of the call"),
  },
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: ["realTimeTranscriptionStopped", "realTimeTranscriptionAvailable"],
  // bandwidth.md §2.24, §10.2
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/stopTranscription"],
};
export default StopTranscription;
