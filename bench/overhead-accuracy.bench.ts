// Accuracy of the bridge-overhead figure (issue 4 "Tests and accuracy"): the pass-through bridge with
// a known injected downstream delay D (held exactly: fixtures/bridges/delay-line.ts), run as a child
// process, must report B at p50 ≈ D ± 2 ms. The pass-through, not the reference bridge, so what is
// checked is the harness's reading of D, not the reference bridge's own processing (the e2e test
// covers the reference with the buffering-150ms flag, with generous bounds). Same tone utterances and
// stub script as latency-floor, so the VAD and the fixture annotation agree on every speech end.
//
//   npm run bench -- overhead-accuracy      ≥ 20 turns (BWEMU_BENCH_TURNS), ~45 s; BWEMU_BENCH_DELAY_MS (50)

import type { BenchReport } from "./types.js";
import { benchTurns, fmt, measureOverhead, stubLines } from "./latency-floor.bench.js";

export default async function overheadAccuracy(): Promise<BenchReport> {
  const d = Number(process.env.BWEMU_BENCH_DELAY_MS ?? 50);
  const turns = benchTurns();
  const r = await measureOverhead({ kind: "passthrough", downstreamDelayMs: d }, turns);
  const b = r.latency.summary.bridgeOverhead;
  const err = b.p50 === undefined ? undefined : b.p50 - d;
  return {
    name: `overhead-accuracy: pass-through bridge + injected ${d} ms downstream delay (child process) ↔ stub (worker thread)`,
    lines: [...stubLines(r), `B p50 − D = ${fmt(err)} ms`],
    metrics: {
      delayMs: d,
      turns: r.latency.turns.length,
      samples: b.n,
      failures: b.failures,
      bP50Ms: b.p50 ?? NaN,
      bP99Ms: b.p99 ?? NaN,
      errorP50Ms: err ?? NaN,
    },
    goal: { description: `bridge overhead p50 = D ± 2 ms (D = ${d} ms, ≥ 20 turns)`, met: b.n >= 20 && err !== undefined && Math.abs(err) <= 2 },
  };
}
