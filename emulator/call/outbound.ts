// An outbound call's start (bandwidth.md §7.3): the called party rings, answers or not within
// `callTimeout`, may hang up later by itself, and answering-machine detection runs once it answers.

import { isoDuration } from "../clock.js";
import { answerPayload } from "../protocol/webhooks.js";
import type { FarEnd } from "./context.js";
import type { VerbHost } from "./host.js";
import type { EndedBy, MachineDetection } from "./types.js";

type OutboundOwner = Pick<VerbHost, "id" | "to" | "signal" | "sleep" | "record" | "finish" | "notify" | "snapshot" | "now"> & {
  hangup(reason: string, by: EndedBy): void;
};

/** Ring the far end; false when it did not answer (the call has ended then). */
export async function ringFarEnd(call: OutboundOwner, fe: FarEnd, callTimeoutMs = 30_000): Promise<boolean> {
  const ring = fe.ringMs ?? 0;
  await call.sleep(Math.min(ring, callTimeoutMs), call.signal);
  const outcome = fe.outcome === undefined || fe.outcome === "answer" ? (ring > callTimeoutMs ? "no-answer" : "answer") : fe.outcome;
  if (outcome !== "answer") {
    call.record("farend.state", { callId: call.id, target: call.to, state: outcome });
    await call.finish(outcome === "no-answer" ? "timeout" : outcome, undefined, "far-end");
    return false;
  }
  if (fe.hangupAfterMs !== undefined) {
    void call
      .sleep(fe.hangupAfterMs, call.signal)
      .then(() => call.hangup("the called party hung up", "far-end"))
      .catch(() => undefined);
  }
  return true;
}

/**
 * §7.3 machineDetection, once the called party answered: `sync` holds the answer webhook until the
 * result is known and returns it for the payload; `async` sends `machineDetectionComplete` later.
 */
export async function detectMachine(call: OutboundOwner, md: MachineDetection | undefined): Promise<{ value: string; duration: string } | undefined> {
  if (!md) return undefined;
  const result = { value: md.result, duration: isoDuration(md.durationMs * 1000) };
  if (md.mode === "sync") {
    await call.sleep(md.durationMs, call.signal);
    return result;
  }
  const target = md.callback;
  if (target) {
    void call
      .sleep(md.durationMs, call.signal)
      .then(() => call.notify("machineDetectionComplete", { ...answerPayload(call.snapshot(), call.now(), result), eventType: "machineDetectionComplete" }, target))
      .catch(() => undefined);
  }
  return undefined;
}
