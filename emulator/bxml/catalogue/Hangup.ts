import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, ROOT } from "./common.js";

/** Hangs up an answered call or rejects an unanswered inbound one. */
const Hangup: ElementSpec = {
  name: "Hangup",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {},
  children: { allowed: [] },
  execution: "terminal",
  bxmlWebhooks: [],
  notificationWebhooks: ["disconnect"],
  // bandwidth.md §2.7
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/hangup"],
};
export default Hangup;
