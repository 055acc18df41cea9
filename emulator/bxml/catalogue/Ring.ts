import type { ElementSpec } from "../spec.js";
import { bool, CALL_AND_TRANSFER_ANSWER, num, ROOT } from "./common.js";

/** Plays ringing; `answerCall="false"` keeps an inbound call unanswered. */
const Ring: ElementSpec = {
  name: "Ring",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    duration: num(0.1, 86400, "5", "0.1–86400 s of ringing"),
    answerCall: bool("true", "whether to answer an unanswered inbound call"),
  },
  children: { allowed: [] },
  execution: "blocking",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.14, §1.8
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/ring", "https://dev.bandwidth.com/docs/voice/bxml"],
};
export default Ring;
