// Contract for benchmarks: each `bench/*.bench.ts` default-exports a function returning a report.
export interface BenchReport {
  name: string;
  /** Human-readable lines printed under the name. */
  lines: string[];
  /** Raw figures (also written as JSON with --json). */
  metrics: Record<string, number>;
  /** The goal the issue set, and whether this run met it. */
  goal?: { description: string; met: boolean };
}
