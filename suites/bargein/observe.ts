// What the barge-in cases share: the scripted barge-in utterance, the model's speech_started for it,
// the carrier's clear, and the reply it interrupted.
import type { CallResult } from "../../emulator/call/types.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import type { StubTurn } from "../../emulator/realtime/record.js";
import type { CallObservation } from "../types.js";
import { events, frames } from "../observe.js";

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
  const onset = events(call, "caller.utterance").find((e) => e.data.phase === "start" && e.data.bargeIn);
  if (!onset) return undefined;
  const index = onset.data.index;
  // Stub turns count the greeting as 0 and utterances from 1; match the n-th caller utterance by order.
  const utterances = events(call, "caller.utterance").filter((e) => e.data.phase === "start");
  const position = utterances.findIndex((e) => e === onset);
  const turns = obs.sessions.flatMap((s) => s.turns).filter((t) => t.kind !== "greeting");
  const turn = turns[position];
  const clear = frames(call, "in", "clear").find((e) => e.t >= onset.t);
  const prevEnd = events(call, "caller.utterance").filter((e) => e.data.phase === "end" && e.t < onset.t).at(-1);
  const replyStart = frames(call, "in", "playAudio").find((e) => e.t >= (prevEnd?.t ?? 0) && e.t < onset.t);
  return { onset, index, turn, clear, replyStart };
}
