import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, PARAM_ATTRIBUTES } from "./common.js";

/** A name/value pair copied into the media WebSocket `start` message as `streamParams`. */
const StreamParam: ElementSpec = {
  name: "StreamParam",
  kind: "noun",
  parents: ["StartStream"],
  contexts: ALL_CONTEXTS,
  text: null,
  attributes: PARAM_ATTRIBUTES,
  children: { allowed: [] },
  execution: "noun",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.21, ED-7
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/streamParam"],
};
export default StreamParam;
