// <Refer> (bandwidth.md §2.13): SIP REFER on an inbound SIP-URI call. Success: the call is torn
// down and `referComplete` is sent with its reply ignored; failure: `referComplete`'s reply runs
// (without the URL: next verb). Other calls fail (OPEN-16). The outcome is scripted per call.

import { referCompletePayload } from "../../protocol/webhooks.js";
import type { VerbExecutor } from "../executor.js";
import { NEXT } from "../executor.js";
import { decided } from "../../decisions.js";

/** Time the simulated REFER/NOTIFY exchange takes. */
const REFER_MS = 200;

export const Refer: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  const sipCall = call.direction === "inbound" && call.to.startsWith("sip:");
  const o = call.options.referOutcome ?? (sipCall ? { status: "success" as const, referSipResponseCode: 202, notifySipResponseCode: 200 } : { status: "failure" as const, referSipResponseCode: 405 });
  await call.sleep(REFER_MS, signal);
  const t = call.targets(el, "referComplete", baseUrl, { fallback: false });
  const result = { referCallStatus: o.status, referSipResponseCode: o.referSipResponseCode, notifySipResponseCode: o.notifySipResponseCode };
  if (o.status === "success") {
    // The call is already torn down; the reply is ignored, so it goes out as a notification.
    if (t) call.notify("referComplete", referCompletePayload(call.snapshot(), call.now(), result), t.primary);
    return { kind: "end", cause: "hangup" };
  }
  if (!sipCall) call.record("note", { message: `Refer on a call that is not an inbound SIP-URI call fails ${decided("refer-forward")}` });
  if (!t) return NEXT;
  return { kind: "fetch", request: call.bxmlRequest("referComplete", referCompletePayload(call.snapshot(), call.now(), result), t) };
};
