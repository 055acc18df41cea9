import type { ElementSpec } from "../spec.js";
import { ALL_CONTEXTS, str } from "./common.js";
import { transferTargetAttributes } from "./transfer-target.js";

/** A Transfer target: text = E.164 number. */
const PhoneNumber: ElementSpec = {
  name: "PhoneNumber",
  kind: "noun",
  parents: ["Transfer"],
  contexts: ALL_CONTEXTS,
  text: { required: true, kind: "e164", trim: true },
  attributes: {
    ...transferTargetAttributes,
    uui: str("comma-separated list, ≤ 350 characters (SDK only)", { maxLength: 350 }),
  },
  children: { allowed: [] },
  execution: "noun",
  bxmlWebhooks: ["transferAnswer"],
  notificationWebhooks: ["transferDisconnect"],
  // bandwidth.md §2.28, §10.2
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/transfer"],
};
export default PhoneNumber;
