import type { ElementSpec } from "../spec.js";
import { CALL_ONLY, DIVERSION_REASONS, enumOf, num, ROOT } from "./common.js";

/** Passes an unanswered inbound call to another number; the app then controls neither leg. */
const Forward: ElementSpec = {
  name: "Forward",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_ONLY,
  text: null,
  attributes: {
    to: { type: "E164_OR_SIP", required: true, note: "an E.164 number (+15551234567) or a sip: URI" },
    from: { type: "CALLERID", note: "default: the original call's `to`" },
    callTimeout: num(1, 300, "30", "1–300 s after ringing starts"),
    diversionTreatment: enumOf(["none", "propagate", "stack"], "none"),
    diversionReason: enumOf(DIVERSION_REASONS, "unknown", "read only with diversionTreatment=\"stack\""),
    uui: { type: "UUI", maxLength: 256, note: "SIP URI targets only" },
  },
  children: { allowed: [] },
  execution: "terminal",
  bxmlWebhooks: [],
  notificationWebhooks: ["disconnect"],
  // bandwidth.md §2.5
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/forward"],
};
export default Forward;
