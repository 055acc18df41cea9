import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, PARAM_ATTRIBUTES } from "./common.js";

/** A name/value pair copied into the transcription WebSocket `start` message as `customParams`. */
const CustomParam: ElementSpec = {
  name: "CustomParam",
  kind: "noun",
  parents: ["StartTranscription"],
  contexts: ALL_CONTEXTS,
  text: null,
  attributes: PARAM_ATTRIBUTES,
  children: { allowed: [] },
  execution: "noun",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.25, ED-7
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startTranscription"],
};
export default CustomParam;
