// §12.3.5 aggregation: nearest-rank percentiles (sort ascending, value at rank ⌈q·N⌉), with N,
// failures, min, max, mean and the low-N flags. Ranks are computed in integer per-mille so
// ⌈q·N⌉ is exact (no 0.95·20 = 19.000000000000004 surprises).

import type { Percentiles } from "./types.js";

/** Nearest-rank percentile of an ascending-sorted array, q in per-mille (500, 950, 990). */
export function nearestRank(sorted: readonly number[], qPermille: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const rank = Math.max(1, Math.ceil((qPermille * n) / 1000));
  return sorted[Math.min(rank, n) - 1];
}

/** Aggregate successful samples (ms); `failures` counts the excluded turns (missing replies…). */
export function aggregate(samples: readonly number[], failures = 0): Percentiles {
  const ok = samples.filter((x) => Number.isFinite(x));
  const sorted = [...ok].sort((a, b) => a - b);
  const n = sorted.length;
  const lowN = { p95: n < 20, p99: n < 100 };
  if (n === 0) return { n, failures, lowN };
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    n,
    failures,
    min: sorted[0],
    max: sorted[n - 1],
    mean: sum / n,
    p50: nearestRank(sorted, 500),
    p95: nearestRank(sorted, 950),
    p99: nearestRank(sorted, 990),
    lowN,
  };
}
