// Direct mode as the calibration of the latency figures (openai-realtime.md §12.3.3): with no bridge
// between the carrier and the stub, B(n) is the harness's own two loopback hops and must read 0 within
// the stated error on every turn, with E flagging nothing. A run whose calibration is off says so
// instead of reporting figures: something in the harness or the machine distorts the measurement
// points, and the same distortion would be read as the bridge's. Pure.

import type { CallLatency, TurnPoints } from "./types.js";

export interface CalibrationTurn {
  callId: string;
  index: number;
  bridgeOverheadMs?: number;
  pacingExcessMs?: number;
  points?: TurnPoints;
  /** Why this turn is off (absent when it is within the tolerance). */
  problem?: string;
}

export interface LatencyCalibration {
  ok: boolean;
  /** |B(n)| must stay within this (ms): the stated measurement error. */
  toleranceMs: number;
  turns: CalibrationTurn[];
  /** The first reason the calibration is off (absent when ok). */
  reason?: string;
}

/**
 * A shared machine's loopback hops: with no bridge, B is the harness's own two hops (carrier → stub,
 * stub → carrier), about 1 ms on an idle host but with a wake-up tail of a few ms on a busy 2-core runner.
 * The median of B may exceed the stated error by this much; a single turn may reach {@link FRAME_MS}.
 */
export const LOOPBACK_ALLOWANCE_MS = 4;
/** One 20 ms frame: the error class the sample-accurate speech end removed; any turn this far off is a fault. */
const FRAME_MS = 20;

/**
 * Judge the direct-mode call(s) of a run. Off when a turn reads B below −tolerance (overhead cannot
 * be negative: the measurement points disagree), when any turn is a frame or more off, when E flags
 * late audio, when a turn has no reply or its speech ends do not match, or when the median B exceeds
 * tolerance + allowance (the harness's hops are too slow for its figures to mean anything). Single
 * turns above the tolerance are listed with their B: the run states them as its measurement error.
 * The first `warmUpTurns` turns of each call are listed but not judged: they warm a cold path (JIT,
 * first wake-ups of a new thread) and measure start-up, not the measurement points.
 */
export function checkCalibration(calls: readonly CallLatency[], toleranceMs = 1, warmUpTurns = 0, allowanceMs = LOOPBACK_ALLOWANCE_MS): LatencyCalibration {
  const turns: CalibrationTurn[] = [];
  const problems: string[] = [];
  const judged: number[] = [];
  for (const c of calls) {
    if (!c.stub.valid) problems.push(`call ${c.callId}: ${c.stub.reason ?? "no stub record"}`);
    for (const [i, t] of c.turns.filter((x) => x.kind === "turn").entries()) {
      const ct: CalibrationTurn = { callId: c.callId, index: t.index, bridgeOverheadMs: t.bridgeOverheadMs, pacingExcessMs: t.pacingExcessMs, points: t.points };
      if (i < warmUpTurns) {
        turns.push({ ...ct, problem: t.failure ? `warm-up, no reply (${t.failure})` : undefined });
        continue;
      }
      const b = t.bridgeOverheadMs;
      if (t.failure) ct.problem = `no reply (${t.failure})`;
      else if (t.harnessError) ct.problem = t.harnessError;
      else if (b === undefined) ct.problem = "no B (stub turn not matched)";
      else if (b < -toleranceMs) ct.problem = `B = ${b.toFixed(3)} ms with no bridge: below −${toleranceMs} ms, the measurement points disagree`;
      else if (b >= FRAME_MS) ct.problem = `B = ${b.toFixed(3)} ms with no bridge: a frame or more`;
      else if (t.pacingFlag) ct.problem = `E = ${t.pacingExcessMs!.toFixed(3)} ms flags late audio with no bridge`;
      if (ct.problem) problems.push(`turn ${t.index}: ${ct.problem}`);
      else if (b !== undefined) judged.push(b);
      turns.push(ct);
    }
  }
  if (turns.length <= warmUpTurns * calls.length && !problems.length) problems.push("no turn was measured");
  const median = judged.length ? [...judged].sort((a, b) => a - b)[Math.floor((judged.length - 1) / 2)] : undefined;
  if (!problems.length && median !== undefined && median > toleranceMs + allowanceMs) {
    problems.push(`the median B with no bridge is ${median.toFixed(3)} ms, over ${toleranceMs} ms + ${allowanceMs} ms for loopback hops: the harness's own hops are too slow`);
  }
  return problems.length ? { ok: false, toleranceMs, turns, reason: problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : "") } : { ok: true, toleranceMs, turns };
}
