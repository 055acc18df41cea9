import type { ElementSpec } from "../spec.js";
import { CALL_ONLY, credentials, DIVERSION_REASONS, enumOf, fallbackCredentials, method, num, ROOT, str, tag, url } from "./common.js";

/** Calls 1–8 parties at once and bridges the first to answer onto the call. */
const Transfer: ElementSpec = {
  name: "Transfer",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_ONLY,
  text: null,
  attributes: {
    transferCallerId: { type: "CALLERID", note: "caller ID on the B-leg; default: the remote party's number" },
    transferCallerDisplayName: str("≤ 256 characters, no control characters", { maxLength: 256, pattern: /^[^\u0000-\u001f\u007f]*$/ }),
    callTimeout: num(1, 300, "30", "1–300 s after ringing starts"),
    transferCompleteUrl: url("receives transferComplete; its reply runs on the A-leg and replaces the rest of the document"),
    transferCompleteMethod: method,
    transferCompleteFallbackUrl: url(),
    transferCompleteFallbackMethod: method,
    ...credentials,
    ...fallbackCredentials,
    tag,
    diversionTreatment: enumOf(["none", "propagate", "stack"], "none", "only when transferring an inbound call"),
    diversionReason: enumOf(DIVERSION_REASONS, "unknown", "only with diversionTreatment=\"stack\""),
  },
  children: { allowed: ["PhoneNumber", "SipUri"], min: 1, max: 8 },
  execution: "blocking",
  bxmlWebhooks: ["transferAnswer", "transferComplete"],
  notificationWebhooks: ["transferDisconnect"],
  replacesDocumentVia: ["transferCompleteUrl"],
  // bandwidth.md §2.27
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/transfer"],
};
export default Transfer;
