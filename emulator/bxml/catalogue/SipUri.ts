import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS } from "./common.js";
import { transferTargetAttributes } from "./transfer-target.js";

/** A Transfer target, or the Refer-To URI of <Refer> (no attributes there): text = sip: URI. */
const SipUri: ElementSpec = {
  name: "SipUri",
  kind: "noun",
  parents: ["Transfer", "Refer"],
  contexts: ALL_CONTEXTS,
  text: { required: true, kind: "sip", trim: true },
  attributes: {
    uui: { type: "UUI", maxLength: 256, note: "User-To-User header value ending in ;encoding=base64 or ;encoding=jwt, ≤ 256 characters" },
    ...transferTargetAttributes,
  },
  attributesUnder: { Refer: {} },
  children: { allowed: [] },
  execution: "noun",
  bxmlWebhooks: ["transferAnswer"],
  notificationWebhooks: ["transferDisconnect"],
  // bandwidth.md §2.29, §2.13
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/transfer", "https://dev.bandwidth.com/docs/voice/bxml/refer"],
};
export default SipUri;
