// Messages between the run (pool.ts) and a worker shard (worker.ts).

import type { StubTurnLike } from "../../emulator/latency/index.js";
import type { StubTurnsQuery } from "./stub-turns.js";
import type { CallOutcome, CallSpec, ShardTick } from "./types.js";

export interface ShardWorkerData {
  shard: number;
  windowMs: number;
  /** Ask the run for stub turns (a stub runs in this run). */
  stub: boolean;
}

export type ToShard =
  | { type: "start"; spec: CallSpec }
  | { type: "cut" }
  | { type: "stubTurns"; id: number; turns?: StubTurnLike[] }
  | { type: "close" };

export type FromShard =
  | { type: "ready" }
  | { type: "outcome"; outcome: CallOutcome }
  | { type: "tick"; tick: ShardTick }
  | ({ type: "stubTurns"; id: number } & StubTurnsQuery)
  | { type: "closed" };
