import type { ElementSpec } from "../spec.js";
import { bool, CALL_AND_TRANSFER_ANSWER, ROOT, str } from "./common.js";

/** Stops a stream by name; with `wait="true"` execution waits until its socket closes (§3.8, ED-4). */
const StopStream: ElementSpec = {
  name: "StopStream",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    name: str("the StartStream name, or the generated id from mediaStreamStarted", { required: true }),
    wait: bool("false", "true: execution pauses here until the stream's WebSocket is closed"),
  },
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: ["mediaStreamStopped"],
  // bandwidth.md §2.22, §3.8, ED-4
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/stopStream"],
};
export default StopStream;
