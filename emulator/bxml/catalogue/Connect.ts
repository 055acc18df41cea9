import type { ElementSpec } from "../spec.js";
import { CALL_ONLY, ROOT, url } from "./common.js";

/** Connects the call to BRTC Endpoints (Beta). The emulator validates it and reports it unsupported (OPEN-17). */
const Connect: ElementSpec = {
  name: "Connect",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_ONLY,
  text: null,
  attributes: {
    eventCallbackUrl: url("receives Connect Status events"),
    eventFallbackUrl: url("used when delivery to eventCallbackUrl fails"),
  },
  children: { allowed: ["Endpoint"], min: 1 },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: ["connectStatus"],
  // bandwidth.md §2.4, OPEN-17
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/connect"],
};
export default Connect;
