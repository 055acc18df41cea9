import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, credentials, method, ROOT, tag, url } from "./common.js";

/** Reports each DTMF digit asynchronously (one `dtmf` webhook per digit) while other verbs run. */
const StartGather: ElementSpec = {
  name: "StartGather",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: null,
  attributes: {
    dtmfUrl: url("receives one dtmf webhook per digit", { required: true }),
    dtmfMethod: method,
    ...credentials,
    tag,
  },
  children: { allowed: [] },
  execution: "immediate",
  bxmlWebhooks: [],
  notificationWebhooks: ["dtmf"],
  // bandwidth.md §2.18
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startGather"],
};
export default StartGather;
