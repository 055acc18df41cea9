// What the barge-in cases share: the scripted barge-in utterance, the model's speech_started for it,
// the carrier's clear, and the reply it interrupted.
import type { CallResult } from "../../emulator/call/types.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import type { StubTurn } from "../../emulator/realtime/record.js";
import type { CallObservation } from "../types.js";
import { agentPlays, events, frames } from "../observe.js";

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
