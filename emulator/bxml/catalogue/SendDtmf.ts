import type { ElementSpec } from "../spec.js";
import { CALL_AND_TRANSFER_ANSWER, num, ROOT } from "./common.js";

/** Characters SendDtmf accepts: digits, *, #, a–d, A–D, and pauses `,` / `w` (0.5 s), `W` (1 s). */
export const DTMF_CHARACTERS = /^[0-9*#a-dA-D,wW]*$/;

/** Plays DTMF tones. */
const SendDtmf: ElementSpec = {
  name: "SendDtmf",
  kind: "verb",
  parents: ROOT,
  contexts: CALL_AND_TRANSFER_ANSWER,
  text: { required: true, kind: "digits", maxLength: 50, trim: true },
  attributes: {
    toneDuration: num(50, 5000, "200", "50–5000 ms per tone"),
    toneInterval: num(50, 5000, "400", "50–5000 ms of silence after each tone"),
  },
  children: { allowed: [] },
  execution: "blocking",
  bxmlWebhooks: [],
  notificationWebhooks: [],
  // bandwidth.md §2.15
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/sendDtmf"],
};
export default SendDtmf;
