import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, ROOT } from "./common.js";

/** Ends the recording started by <StartRecording> (also a paused one). */
const StopRecording: ElementSpec = {
  name: "StopRecording",
  kind: "verb",
  parents: ROOT,
  contexts: ALL_CONTEXTS,
  text: null,
  attributes: {},
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: ["recordingAvailable", "conferenceRecordingAvailable"],
  // bandwidth.md §2.9, §2.30
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/stopRecording"],
};
export default StopRecording;
