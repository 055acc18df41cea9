import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, credentials, fallbackCredentials, method, ROOT, tag, url } from "./common.js";

/** Asks the app for a new document; verbs after it never run. */
const Redirect: ElementSpec = {
  name: "Redirect",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    redirectUrl: url("receives redirect; its reply becomes the call's document", { required: true }),
    redirectMethod: method,
    redirectFallbackUrl: url(),
    redirectFallbackMethod: method,
    ...credentials,
    ...fallbackCredentials,
    tag,
  },
  children: { allowed: [] },
  execution: "document-terminal",
  bxmlWebhooks: ["redirect"],
  notificationWebhooks: [],
  replacesDocumentVia: ["redirectUrl"],
  // bandwidth.md §2.12
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/redirect"],
};
export default Redirect;
