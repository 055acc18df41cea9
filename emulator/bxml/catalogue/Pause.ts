import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, num, ROOT } from "./common.js";

/** Silence for `duration` seconds. */
const Pause: ElementSpec = {
  name: "Pause",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    duration: num(0.1, 86400, "1", "0.1–86400 s"),
  },
  children: { allowed: [] },
  execution: "blocking",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.8, OPEN-22
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/pause"],
};
export default Pause;
