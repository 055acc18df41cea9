import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, str } from "./common.js";

/** A name/value pair copied into the transcription WebSocket `start` message as `customParams`. */
const CustomParam: ElementSpec = {
  name: "CustomParam",
  kind: "noun",
  parents: ["StartTranscription"],
  contexts: ALL_CONTEXTS,
  text: null,
  attributes: {
    name: str("≤ 256 characters", { required: true, maxLength: 256 }),
    value: str("≤ 2048 characters", { required: true, maxLength: 2048 }),
  },
  children: { allowed: [] },
  execution: "noun",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.25, ED-7
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startTranscription"],
};
export default CustomParam;
