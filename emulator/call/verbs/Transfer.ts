// <Transfer> (bandwidth.md §2.27–2.29, §6.5): rings every PhoneNumber/SipUri at once (simulated far
// ends), bridges the first to answer. Each B-leg is an emulated outbound call: `transferAnswer`
// (BXML, context transferAnswer, runs on the B-leg) when it answers, `transferDisconnect` whenever
// it ends; `transferComplete` (BXML, A-leg) when the B-leg ends or the transfer fails — only if
// the A-leg is still up.

import { childElements, type BxmlElement } from "../../bxml/model.js";
import { transferAnswerPayload, transferCompletePayload, transferDisconnectPayload } from "../../protocol/webhooks.js";
import type { WebhookTarget } from "../../webhooks/client.js";
import { creds, method, num, str, text } from "../attrs.js";
import type { CallInit, VerbHost } from "../host.js";
import { NEXT, type VerbExecutor, type VerbOutcome } from "../executor.js";
import { Aborted, raceAbort } from "../sleep.js";

interface Leg {
  el: BxmlElement;
  to: string;
  call: VerbHost;
  disconnect?: WebhookTarget;
  result?: "answered" | "busy" | "no-answer" | "rejected" | "cancel";
}

const FAIL_CAUSE = { busy: "busy", "no-answer": "timeout", rejected: "rejected", cancel: "cancel" } as const;

export const Transfer: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  const callerId = str(el, "transferCallerId") ?? call.from;
  const timeoutMs = num(el, "callTimeout", 30) * 1000;
  const targets = childElements(el).filter((c) => c.name === "PhoneNumber" || c.name === "SipUri");
  const legs: Leg[] = targets.map((t) => makeLeg(call, t, callerId, baseUrl));

  // Ring all at once; the first to answer wins, the others are cancelled.
  const winner = await new Promise<Leg | undefined>((resolve, reject) => {
    let pending = legs.length;
    let settled = false;
    const onAbort = () => {
      settled = true;
      reject(new Aborted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    for (const leg of legs) {
      const fe = call.farEnd(leg.to);
      call.record("farend.state", { callId: leg.call.id, target: leg.to, state: "ringing" });
      const ring = fe.ringMs ?? 1000;
      const outcome = fe.outcome ?? "answer";
      void call
        .sleep(Math.min(ring, timeoutMs), signal)
        .then(() => {
          if (settled) return;
          const r = outcome === "answer" && ring > timeoutMs ? "no-answer" : outcome === "answer" ? "answered" : outcome;
          leg.result = r;
          if (r === "answered") {
            settled = true;
            signal.removeEventListener("abort", onAbort);
            resolve(leg);
          } else {
            call.record("farend.state", { callId: leg.call.id, target: leg.to, state: r });
            if (--pending === 0) {
              settled = true;
              signal.removeEventListener("abort", onAbort);
              resolve(undefined);
            }
          }
        })
        .catch(() => undefined);
    }
  }).catch(async (e) => {
    // The A-leg hung up or was redirected while ringing: every leg ends (cancel).
    for (const leg of legs) await endLeg(call, leg, "cancel");
    throw e;
  });

  if (!winner) {
    for (const leg of legs) await endLeg(call, leg, FAIL_CAUSE[leg.result as "busy" | "no-answer" | "rejected"] ?? "timeout");
    const last = legs[legs.length - 1];
    const cause = FAIL_CAUSE[(last?.result ?? "no-answer") as "busy" | "no-answer" | "rejected"];
    return complete(call, el, baseUrl, last, cause, `transfer failed: ${legs.map((l) => `${l.to} ${l.result}`).join(", ")}`);
  }
  for (const leg of legs) if (leg !== winner) await endLeg(call, leg, "cancel");

  // The winner answers: transferAnswer runs on it, then the legs are bridged.
  const b = winner.call;
  call.record("farend.state", { callId: b.id, target: winner.to, state: "answered" });
  const fe = call.farEnd(winner.to);
  call.startLeg(b); // answers (outbound), then transferAnswer if configured
  if (fe.hangupAfterMs !== undefined) {
    void b
      .sleep(fe.hangupAfterMs, b.signal)
      .then(() => {
        call.record("farend.state", { callId: b.id, target: winner.to, state: "disconnected" });
        return b.finish("hangup");
      })
      .catch(() => undefined);
  }
  call.peer = { kind: "transfer", leave: () => void b.finish("hangup") };
  try {
    await raceAbort(b.whenEnded(), signal);
  } catch (e) {
    // A-leg left first (hang-up or REST redirect): the B-leg is hung up; no transferComplete.
    call.peer = undefined;
    await b.finish("hangup");
    await sendDisconnect(call, winner, b.end?.cause ?? "hangup", b.end?.errorMessage);
    throw e;
  }
  call.peer = undefined;
  await sendDisconnect(call, winner, b.end?.cause ?? "hangup", b.end?.errorMessage);
  return complete(call, el, baseUrl, winner, b.end?.cause ?? "hangup", b.end?.errorMessage);
};

function makeLeg(a: VerbHost, t: BxmlElement, callerId: string, baseUrl: string | undefined): Leg {
  const to = text(t);
  const answerUrl = str(t, "transferAnswerUrl");
  const disc = str(t, "transferDisconnectUrl");
  const c = creds(t);
  const disconnect: WebhookTarget | undefined = disc !== undefined ? { url: a.resolve(disc, baseUrl), method: method(t, "transferDisconnectMethod"), credentials: c } : undefined;
  let first: CallInit["first"];
  let b: VerbHost;
  if (answerUrl !== undefined) {
    const fb = str(t, "transferAnswerFallbackUrl");
    first = {
      eventType: "transferAnswer",
      primary: { url: a.resolve(answerUrl, baseUrl), method: method(t, "transferAnswerMethod"), credentials: c },
      fallback: fb !== undefined ? { url: a.resolve(fb, baseUrl), method: method(t, "transferAnswerFallbackMethod"), credentials: creds(t, "fallbackUsername", "fallbackPassword") } : undefined,
      payload: () => transferAnswerPayload(b.snapshot(), b.now()),
      context: "transferAnswer",
    };
  }
  b = a.spawnLeg({
    direction: "outbound",
    from: callerId,
    to,
    first,
    bLeg: true,
    caller: { silence: true },
    options: { appUrl: a.options.appUrl, label: a.label, maxDurationMs: a.options.maxDurationMs, farEnds: a.options.farEnds },
    callbackTimeoutMs: a.callbackTimeoutMs,
    tag: str(t, "tag") ?? a.tag,
    parentCallId: a.id,
    transferCallerId: callerId,
    transferTo: to,
  });
  return { el: t, to, call: b, disconnect };
}

async function endLeg(a: VerbHost, leg: Leg, cause: string): Promise<void> {
  if (leg.call.ended) return;
  if (leg.result !== "answered") leg.result = leg.result ?? "cancel";
  await leg.call.finish(cause);
  await sendDisconnect(a, leg, cause);
}

async function sendDisconnect(a: VerbHost, leg: Leg, cause: string, errorMessage?: string): Promise<void> {
  if (!leg.disconnect) return;
  const snap = { ...leg.call.snapshot(), endTime: leg.call.snapshot().endTime ?? a.now() };
  a.notify("transferDisconnect", transferDisconnectPayload(snap, a.now(), { cause, errorMessage, errorId: cause === "hangup" || cause === "cancel" ? undefined : a.ids.errorId() }), leg.disconnect);
}

function complete(call: VerbHost, el: BxmlElement, baseUrl: string | undefined, leg: Leg | undefined, cause: string, errorMessage?: string): VerbOutcome {
  if (call.ended) return NEXT;
  const t = call.targets(el, "transferComplete", baseUrl);
  if (!t) return NEXT;
  const payload = transferCompletePayload(
    call.snapshot(),
    call.now(),
    { transferCallerId: leg?.call.transferCallerId ?? call.from, transferTo: leg?.to ?? "" },
    { cause, errorMessage, errorId: cause === "hangup" ? undefined : call.ids.errorId() },
  );
  return { kind: "fetch", request: call.bxmlRequest("transferComplete", payload, t) };
}
