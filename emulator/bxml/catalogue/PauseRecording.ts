import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, ROOT } from "./common.js";

/** Acts on the recording started by <StartRecording>; no effect when none is in progress. */
const PauseRecording: ElementSpec = {
  name: "PauseRecording",
  kind: "verb",
  parents: ROOT,
  contexts: ALL_CONTEXTS,
  text: null,
  attributes: {},
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.9, §2.30
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/pauseRecording"],
};
export default PauseRecording;
