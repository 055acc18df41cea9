// Accuracy of the bridge-overhead figure (issue 4, issue 15): the pass-through bridge with a known
// injected downstream delay D (held exactly: fixtures/bridges/delay-line.ts), run as a child process,
// must read D on every turn, after the harness's own hops: |B(n) − D − p50(B₀)| ≤ 1 ms, where B₀ is the
// same bridge with no delay measured in the same run. The pass-through, not the reference bridge, so
// what is checked is the harness's reading of D, not the reference bridge's own processing. Same
// caller as latency-floor: every speech fixture and every end offset inside a 20 ms frame.
//
//   npm run bench -- overhead-accuracy      two calls of ~23 turns, ~2.5 min; BWEMU_BENCH_DELAY_MS (50)

import type { BenchReport } from "./types.js";
import { fmt, measureOverhead, median, stubLines } from "./latency-floor.bench.js";

const TOLERANCE_MS = 1;

export default async function overheadAccuracy(): Promise<BenchReport> {
  const d = Number(process.env.BWEMU_BENCH_DELAY_MS ?? 50);
  const base = await measureOverhead({ kind: "passthrough" });
  const r = await measureOverhead({ kind: "passthrough", downstreamDelayMs: d });
  const hops = median(base.overheads);
  const b = r.latency.summary.bridgeOverhead;
  const errs = hops === undefined ? [] : r.overheads.map((v) => v - d - hops);
  const worst = errs.length ? errs.reduce((w, e) => (Math.abs(e) > Math.abs(w) ? e : w)) : undefined;
  const outside = errs.filter((e) => Math.abs(e) > TOLERANCE_MS).length;
  const turns = r.latency.turns.filter((t) => t.kind === "turn").length;
  return {
    name: `overhead-accuracy: pass-through bridge + injected ${d} ms downstream delay (child process) ↔ stub (worker thread), speech fixtures + every end offset`,
    lines: [
      ...stubLines(r),
      `the same bridge with no delay, same run: B p50 ${fmt(hops)} ms (the harness's own hops)`,
      `per turn B − D − ${fmt(hops)}: worst ${fmt(worst)} ms; outside ±${TOLERANCE_MS} ms on ${outside} of ${errs.length} turns; B p50 − D = ${fmt(b.p50 === undefined ? undefined : b.p50 - d)} ms`,
    ],
    metrics: {
      delayMs: d,
      turns,
      samples: b.n,
      failures: b.failures,
      harnessErrors: r.latency.harnessErrors,
      passthroughP50Ms: hops ?? NaN,
      bP50Ms: b.p50 ?? NaN,
      bP99Ms: b.p99 ?? NaN,
      worstErrorMs: worst ?? NaN,
      turnsOutside: outside,
    },
    goal: {
      description: `every turn reads D ± ${TOLERANCE_MS} ms after the harness's own hops (D = ${d} ms)`,
      met: r.latency.stub.valid && b.n === turns && b.n > 0 && r.latency.harnessErrors === 0 && outside === 0,
    },
  };
}
