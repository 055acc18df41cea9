// What a load run says about itself: pure, from its totals. bwemu's own pacing comes first — when it
// was late (p99 over 5 ms, a quarter of a frame) the latency figures describe an overloaded harness,
// not the bridge, and the run says so instead of blaming the bridge.

import { LATE_P99_US } from "../run/call-checks.js";
import { failureTotal, type TotalFigures } from "./windows.js";

export interface LoadVerdict {
  /** bwemu kept its pacing: its latency figures can be trusted. */
  trustworthy: boolean;
  /** Why not, when not. */
  untrustworthy?: string;
  failed: number;
  /** 0 every call completed, 1 some failed (the app's doing), 3 bwemu's own failures only. */
  exitCode: 0 | 1 | 3;
  summary: string;
}

export function verdictOf(t: TotalFigures, partial: boolean): LoadVerdict {
  const p99Us = t.lateness.p99Ms * 1000;
  const trustworthy = t.lateness.n === 0 || p99Us <= LATE_P99_US;
  const untrustworthy = trustworthy
    ? undefined
    : `bwemu's own pacing was late (p99 ${t.lateness.p99Ms.toFixed(1)} ms over ${t.lateness.n} frames, limit ${LATE_P99_US / 1000} ms): the machine was overloaded, so the latency figures measure bwemu, not the bridge — use fewer calls per machine, more --workers, or more machines`;
  const failed = failureTotal(t.failed);
  const harnessOnly = failed > 0 && failed === t.failed.harness + t.failed["worker-died"];
  const exitCode = failed === 0 ? 0 : harnessOnly ? 3 : 1;
  const done = t.completed + failed;
  const summary = `${partial ? "partial run (interrupted): " : ""}${t.completed} of ${done} call(s) completed, ${failed} failed${trustworthy ? "" : "; latency figures UNTRUSTWORTHY"}`;
  return { trustworthy, ...(untrustworthy ? { untrustworthy } : {}), failed, exitCode, summary };
}
