// The live line of a load run, and the closing summary: pure text (app text escaped by the caller's
// writer is never in it: reasons are bwemu's own names).

import type { HdrSummary } from "../../emulator/latency/histogram.js";
import type { LiveFigures, LoadResult } from "./run.js";
import { failureTotal, type FailureCounts } from "./windows.js";

const f0 = (v: number): string => v.toFixed(0);
const pcts = (s: HdrSummary): string => (s.n ? `${f0(s.p50Ms)}/${f0(s.p95Ms)}/${f0(s.p99Ms)} ms` : "—");

function failures(f: FailureCounts): string {
  const n = failureTotal(f);
  if (!n) return "failed 0";
  const parts = Object.entries(f)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`);
  return `failed ${n} (${parts.join(", ")})`;
}

export function liveLine(l: LiveFigures): string {
  const t = l.totals;
  const late = l.window.lateness;
  return (
    `${(l.elapsedMs / 1000).toFixed(0).padStart(4)}s  active ${l.active}  completed ${t.completed}  ${failures(t.failed)}  ` +
    `lateness p99 ${late.n ? late.p99Ms.toFixed(1) : "—"} ms  turn p50/p95/p99 ${pcts(t.turn)}`
  );
}

export function summaryLines(r: LoadResult): string[] {
  const t = r.totals;
  const lines = [
    `${r.verdict.exitCode === 0 ? "✓" : "✗"} ${r.verdict.summary} in ${(r.elapsedMs / 1000).toFixed(1)} s (peak ${t.peakActive} at once)`,
    `  turn latency p50/p95/p99 ${pcts(t.turn)} over ${t.turn.n} turn(s); bridge overhead ${pcts(t.bridgeOverhead)} over ${t.bridgeOverhead.n}`,
    `  bwemu pacing lateness p50 ${t.lateness.p50Ms.toFixed(2)} ms, p99 ${t.lateness.p99Ms.toFixed(2)} ms, max ${t.lateness.maxMs.toFixed(1)} ms over ${t.lateness.n} frames`,
    ...t.shards.map((s) => `  shard ${s.shard}: ${s.calls} call(s), lateness p99 ${s.lateness.p99Ms.toFixed(2)} ms, busy ${s.busyPct.toFixed(0)} %${s.died ? `, DIED holding ${s.died.calls} call(s): ${s.died.message}` : ""}`),
  ];
  lines.push(`  ${r.crossTalk.note}`);
  if (failureTotal(t.failed)) lines.push(`  ${failures(t.failed)}`);
  for (const e of r.examples) lines.push(`    ${e.reason} ${e.callId || "(no call id)"}: ${e.detail}`);
  if (r.verdict.untrustworthy) lines.push(`! ${r.verdict.untrustworthy}`);
  return lines;
}
