import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, ROOT } from "./common.js";

/** Sets the call's tag to its (trimmed) text; empty clears it (§1.6). */
const Tag: ElementSpec = {
  name: "Tag",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: { required: false, kind: "tag", maxLength: 256, trim: true },
  attributes: {},
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.26, §1.6
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/tag", "https://dev.bandwidth.com/docs/voice/bxml"],
};
export default Tag;
