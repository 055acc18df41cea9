// What the barge-in cases share: the scripted barge-in utterance, the model's speech_started for it,
// the carrier's clear, and the reply it interrupted.
import type { CallResult } from "../../emulator/call/types.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import type { StubTurn } from "../../emulator/realtime/record.js";
import type { CallObservation, CaseOutcome, ConformanceCase } from "../types.js";
import { agentPlays, events, fail, frames, pick, stepMissed } from "../observe.js";

export interface BargeIn {
  /** C_on(n): the carrier sent the first speech frame of the barge-in utterance. */
  onset: TimelineEvent<"caller.utterance">;
  index: number;
  /** The stub turn of the same utterance (matched by order, openai-realtime.md §12.3.4). */
  turn?: StubTurn;
  /** C_clear(n): the first clear after the onset. */
  clear?: TimelineEvent<"ws.frame">;
  /** The first playAudio of the reply that was interrupted. */
  replyStart?: TimelineEvent<"ws.frame">;
}

export function bargeIn(obs: CallObservation): BargeIn | undefined {
  const call: CallResult = obs.call;
  // The feed marks every utterance scripted as a barge-in: `bargeIn` true when agent audio was still
  // queued at its first speech frame, false when the agent had nothing left to say.
  const onset = events(call, "caller.utterance").find((e) => e.data.phase === "start" && e.data.bargeIn !== undefined);
  if (!onset) return undefined;
  const index = onset.data.index;
  // The stub runs on the carrier's clock (in-process, openai-realtime.md §12.3.1): its turn for this
  // utterance is the first whose speech started at or after the caller's onset. Matching by time, not
  // by order, survives a VAD that splits one utterance into several turns.
  const turn = obs.sessions
    .flatMap((s) => s.turns)
    .filter((t) => t.kind !== "greeting" && t.sStartedUs !== undefined && t.sStartedUs >= onset.t - 50_000)
    .sort((a, b) => a.sStartedUs! - b.sStartedUs!)[0];
  const clear = frames(call, "in", "clear").find((e) => e.t >= onset.t);
  const prevEnd = events(call, "caller.utterance").filter((e) => e.data.phase === "end" && e.t < onset.t).at(-1);
  const replyStart = agentPlays(call).find((e) => e.t >= (prevEnd?.t ?? 0) && e.t < onset.t);
  return { onset, index, turn, clear, replyStart };
}

/** A barge-in over agent audio that was still playing: what clear and no-stale-audio judge. */
export type Interruption = BargeIn & { replyStart: TimelineEvent<"ws.frame"> };

/**
 * The barge-in when the caller spoke over a reply that was still playing; otherwise the outcome that
 * stands: the call never got to the barge-in, or there was nothing to interrupt.
 */
export function interruption(obs: CallObservation): Interruption | CaseOutcome {
  const b = bargeIn(obs);
  if (!b) return stepMissed(obs, "the barge-in utterance");
  const expected = "agent audio playing when the caller barges in";
  if (!b.replyStart) return fail(expected, "no reply was playing: the bridge never answered the first utterance", pick(b.onset));
  if (b.onset.data.bargeIn === false) return fail(expected, "the reply had already finished: nothing to interrupt", pick(b.replyStart, b.onset));
  return { ...b, replyStart: b.replyStart };
}

/**
 * A case judged on an interruption (bargein.clear, bargein.no-stale-audio): the barge-in scenario,
 * a bidirectional stream and the public pages they share; `check` runs only on a real interruption.
 */
export function interruptionCase(words: Pick<ConformanceCase, "id" | "title" | "expectation" | "outcomes">, check: (b: Interruption, obs: CallObservation) => CaseOutcome): ConformanceCase {
  return {
    ...words,
    level: "MUST",
    // bandwidth.md §4.6 (clear); openai-realtime.md §8.3
    docs: ["https://dev.bandwidth.com/docs/voice/guides/mediaStreaming", "https://platform.openai.com/docs/api-reference/realtime-client-events/conversation/item/truncate", "https://platform.openai.com/docs/guides/realtime-conversations"],
    scenarios: ["bargein"],
    requires: ["bidirectional"],
    check(obs) {
      const b = interruption(obs);
      return "verdict" in b ? b : check(b, obs);
    },
  };
}
