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
 * Judge the direct-mode call(s) of a run. The first `warmUpTurns` turns of each call are listed but
 * not judged: they warm a cold path (JIT, first wake-ups of a new thread) and measure start-up, not the
 * measurement points.
 */
export function checkCalibration(calls: readonly CallLatency[], toleranceMs = 1, warmUpTurns = 0): LatencyCalibration {
  const turns: CalibrationTurn[] = [];
  const problems: string[] = [];
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
      else if (Math.abs(b) > toleranceMs) ct.problem = `B = ${b.toFixed(3)} ms with no bridge (tolerance ±${toleranceMs} ms)`;
      else if (t.pacingFlag) ct.problem = `E = ${t.pacingExcessMs!.toFixed(3)} ms flags late audio with no bridge`;
      if (ct.problem) problems.push(`turn ${t.index}: ${ct.problem}`);
      turns.push(ct);
    }
  }
  if (turns.length <= warmUpTurns * calls.length && !problems.length) problems.push("no turn was measured");
  return problems.length ? { ok: false, toleranceMs, turns, reason: problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : "") } : { ok: true, toleranceMs, turns };
}
