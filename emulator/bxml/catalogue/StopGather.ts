import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, ROOT } from "./common.js";

/** Stops the digit reporting started by <StartGather>. */
const StopGather: ElementSpec = {
  name: "StopGather",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {},
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.18
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/stopGather"],
};
export default StopGather;
