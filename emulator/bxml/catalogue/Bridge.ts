import type { ElementSpec } from "../spec.js";
import { CALL_ONLY, credentials, fallbackCredentials, method, ROOT, tag, url } from "./common.js";

/** Bridges another call (the target) onto this one. */
const Bridge: ElementSpec = {
  name: "Bridge",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_ONLY,
  text: { required: true, kind: "id", trim: true },
  attributes: {
    bridgeCompleteUrl: url("receives bridgeComplete; its reply runs on this call and replaces the rest of the document"),
    bridgeCompleteMethod: method,
    bridgeCompleteFallbackUrl: url(),
    bridgeCompleteFallbackMethod: method,
    bridgeTargetCompleteUrl: url("receives bridgeTargetComplete; its reply runs on the target call"),
    bridgeTargetCompleteMethod: method,
    bridgeTargetCompleteFallbackUrl: url(),
    bridgeTargetCompleteFallbackMethod: method,
    ...credentials,
    ...fallbackCredentials,
    tag,
  },
  children: { allowed: [] },
  execution: "blocking",
  bxmlWebhooks: ["bridgeComplete", "bridgeTargetComplete"],
  notificationWebhooks: [],
  replacesDocumentVia: ["bridgeCompleteUrl"],
  misspellings: { bridgeTargetCompleteFallback_url: "bridgeTargetCompleteFallbackUrl" },
  // bandwidth.md §2.2
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/bridge"],
};
export default Bridge;
