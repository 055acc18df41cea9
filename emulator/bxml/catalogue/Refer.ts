import type { ElementSpec } from "../spec.js";
import { CALL_ONLY, method, ROOT, tag, url } from "./common.js";

/** Sends a SIP REFER on an inbound SIP-URI call; exactly one <SipUri> (no attributes there). */
const Refer: ElementSpec = {
  name: "Refer",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_ONLY,
  text: null,
  attributes: {
    referCompleteUrl: url("receives referComplete; its reply runs only when the REFER failed"),
    referCompleteMethod: method,
    tag,
  },
  children: { allowed: ["SipUri"], min: 1, max: 1 },
  execution: "blocking",
  bxmlWebhooks: ["referComplete"],
  notificationWebhooks: [],
  replacesDocumentVia: ["referCompleteUrl"],
  // bandwidth.md §2.13, OPEN-15, OPEN-16
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/refer"],
};
export default Refer;
