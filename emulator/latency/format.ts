// The table `bwemu call --turns N` prints: one row per caller utterance, then p50/p95/p99 per metric
// (§12.3.5; low-N percentiles are marked with `*`).

import type { CallLatency, Percentiles, TurnLatency } from "./types.js";

const num = (v: number | undefined, digits = 1): string => (v === undefined ? "-" : v.toFixed(digits));

function table(rows: string[][], rightAlign: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd())
    .join("\n");
}

function turnNote(t: TurnLatency): string {
  if (t.failure) return t.failure;
  if (t.harnessError) return `harness error: ${t.harnessError}`;
  if (t.unmeasured) return `not measured: ${t.unmeasured}`;
  return t.pacingFlag ? "late/bursty audio after speech end (E > append + 5 ms)" : "";
}

/** Per-turn rows plus the percentile summary of one call. */
export function formatCallLatency(lat: CallLatency): string {
  const out: string[] = [];
  out.push(`call ${lat.callId}`);
  out.push(`greeting G: ${lat.greetingMs === undefined ? "n/a (no greeting)" : `${num(lat.greetingMs)} ms`}`);
  if (lat.stub.present && !lat.stub.valid) out.push(`stub metrics: n/a — ${lat.stub.reason}`);
  else if (!lat.stub.present) out.push("stub metrics: n/a (no stub record: live run or not provided)");
  const rows: string[][] = [["turn", "kind", "L ms", "K ms", "B ms", "E ms", "I ms", "D ms", "note"]];
  for (const t of lat.turns) {
    rows.push([
      String(t.index),
      t.kind,
      num(t.turnMs),
      num(t.thinkMs),
      num(t.bridgeOverheadMs),
      num(t.pacingExcessMs),
      num(t.bargeInMs),
      num(t.onsetDetectMs),
      turnNote(t),
    ]);
  }
  out.push(table(rows, [true, false, true, true, true, true, true, true, false]));
  out.push("");
  // The points B comes from: B = (C_first − C_end) − (S_first − S_end).
  const pts: string[][] = [["turn", "C_end", "C_first", "S_end", "S_first", "end frame", "δ ms"]];
  for (const t of lat.turns.filter((x) => x.kind === "turn")) {
    const p = t.points ?? {};
    const b = t.boundary;
    pts.push([String(t.index), num(p.cEndMs, 3), num(p.cFirstMs, 3), num(p.sEndMs, 3), num(p.sFirstMs, 3), b ? `${b.frame}${b.frame !== b.carrierFrame ? ` (carrier ${b.carrierFrame})` : ""}` : "-", b ? num(b.deltaMs, 3) : "-"]);
  }
  if (pts.length > 1) {
    out.push("points (ms; C_* carrier clock, S_* stub clock): B = (C_first − C_end) − (S_first − S_end); C_first: the reply's first playAudio");
    out.push(table(pts, [true, true, true, true, true, true, true]));
    out.push("");
  }
  out.push(formatSummary(lat.summary, lat.greetingMs));
  const j = lat.jitterDown;
  out.push(
    `downstream underruns: ${j.count}${j.count ? ` (total ${num(j.totalMs)} ms, longest ${num(j.maxMs)} ms)` : ""}` +
      (j.unknownDurationFrames ? `; ${j.unknownDurationFrames} playAudio frame(s) of unknown length` : ""),
  );
  return out.join("\n");
}

const LABELS: [keyof CallLatency["summary"], string][] = [
  ["turn", "turn latency L"],
  ["think", "stub think K"],
  ["bridgeOverhead", "bridge overhead B"],
  ["pacingExcess", "pacing excess E"],
  ["bargeIn", "barge-in I"],
  ["onsetDetect", "stub onset D"],
  ["bridgeBargeInOverhead", "bridge barge-in I-D"],
];

/** The percentile table (ms). Metrics with no samples and no failures are left out. */
export function formatSummary(summary: CallLatency["summary"], greetingMs?: number): string {
  const rows: string[][] = [["metric", "N", "fail", "p50", "p95", "p99", "min", "max", "mean"]];
  for (const [key, label] of LABELS) {
    const p: Percentiles = summary[key];
    if (p.n === 0 && p.failures === 0) continue;
    rows.push([
      label,
      String(p.n),
      String(p.failures),
      num(p.p50),
      num(p.p95) + (p.n && p.lowN.p95 ? "*" : ""),
      num(p.p99) + (p.n && p.lowN.p99 ? "*" : ""),
      num(p.min),
      num(p.max),
      num(p.mean),
    ]);
  }
  if (greetingMs !== undefined) rows.push(["greeting G", "1", "0", num(greetingMs), "", "", "", "", ""]);
  const text = table(rows, [false, true, true, true, true, true, true, true, true]);
  return rows.length > 1 ? `${text}\n* low N: p95 needs N ≥ 20, p99 needs N ≥ 100` : "no latency samples";
}
