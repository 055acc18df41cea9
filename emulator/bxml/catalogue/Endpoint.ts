import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS } from "./common.js";

/** A BRTC endpoint inside <Connect>: text = endpoint id. */
const Endpoint: ElementSpec = {
  name: "Endpoint",
  kind: "noun",
  parents: ["Connect"],
  contexts: ALL_CONTEXTS,
  text: { required: true, kind: "endpoint-id", trim: true },
  attributes: {},
  children: { allowed: [] },
  execution: "noun",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.4
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/connect"],
};
export default Endpoint;
