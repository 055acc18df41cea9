// <Forward> (bandwidth.md §2.5): only on an unanswered inbound call; the call is passed on and the
// app controls neither leg; `disconnect` goes to the status URL when the forwarded call ends.
// On an answered call: OPEN-16 → application-error.
import { num, str } from "../attrs.js";
import type { VerbExecutor } from "../executor.js";
import { decided } from "../../decisions.js";

export const Forward: VerbExecutor = async ({ call, el }) => {
  if (call.state !== "initiated" || call.direction !== "inbound") {
    // The app is told in Bandwidth's manner; the finding links the decision.
    const reason = "Forward is only allowed on an unanswered inbound call";
    call.finding("call.verb-error", `<Forward> at line ${el.pos.line}: ${reason} ${decided("refer-forward")}`);
    return { kind: "end", cause: "application-error", errorMessage: reason };
  }
  const to = str(el, "to") ?? "";
  const fe = call.farEnd(to);
  const timeoutMs = num(el, "callTimeout", 30) * 1000;
  call.record("farend.state", { callId: call.id, target: to, state: "ringing" });
  void (async () => {
    try {
      const ring = Math.min(fe.ringMs ?? 1000, timeoutMs);
      await call.sleep(ring, call.signal);
      const outcome = fe.outcome ?? "answer";
      if (outcome !== "answer" || (fe.ringMs ?? 1000) > timeoutMs) {
        const state = outcome === "answer" ? "no-answer" : outcome;
        call.record("farend.state", { callId: call.id, target: to, state });
        await call.finish(state === "no-answer" ? "timeout" : state === "busy" ? "busy" : "rejected");
        return;
      }
      call.record("farend.state", { callId: call.id, target: to, state: "answered" });
      if (fe.hangupAfterMs !== undefined) {
        await call.sleep(fe.hangupAfterMs, call.signal);
        call.record("farend.state", { callId: call.id, target: to, state: "disconnected" });
        await call.finish("hangup");
      }
    } catch {
      /* the call ended first */
    }
  })();
  return { kind: "release" };
};
