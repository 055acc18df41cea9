// The HTML page of a load run (`bwemu load`): one self-contained file like the conformance report
// (same CSS, CSP, escaping). Verdict, totals, failures by reason with examples, and plots over time:
// turn latency percentiles per window, calls in progress, failures, and bwemu's own pacing lateness
// and CPU (so a reader sees at once whether a latency rise is the bridge's or the harness's).

import { CSP } from "./render.js";
import { clip, html, ms, num, raw, type Raw } from "./escape.js";
import { linePlot } from "./plot.js";
import { CSS } from "./style.js";

/** What the page reads (src/load/run.ts LoadResult, structurally). */
export interface LoadPage {
  startedAt: string;
  elapsedMs: number;
  partial: boolean;
  appUrl: string;
  options: { calls: number; ratePerS?: number; durationMs?: number; rampMs?: number; workers: number; windowMs: number };
  totals: {
    started: number;
    completed: number;
    cut: number;
    failed: Record<string, number>;
    turn: Summary;
    bridgeOverhead: Summary;
    lateness: Summary;
    peakActive: number;
    shards: { shard: number; lateness: Summary; busyPct: number; calls: number; died?: { calls: number; message: string } }[];
  };
  windows: { tMs: number; active: number; completed: number; failed: Record<string, number>; turn: Summary; lateness: Summary; cpuPct?: number; shardBusyPct: Record<number, number> }[];
  verdict: { trustworthy: boolean; untrustworthy?: string; failed: number; exitCode: number; summary: string };
  examples: { reason: string; callId: string; detail: string }[];
  /** What cross-talk detection checked (src/load/crosstalk.ts). */
  crossTalk?: { note: string };
}

interface Summary {
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

const COLORS = ["#2e6fdb", "#d97706", "#b42318", "#0f9d58", "#7c3aed", "#0891b2", "#be185d", "#4b5563"];
const or = (s: Summary, k: "p50Ms" | "p95Ms" | "p99Ms" | "maxMs"): number | null => (s.n ? s[k] : null);

function pctRow(name: string, s: Summary): Raw {
  return html`<tr><td>${name}</td><td class="n">${s.n}</td><td class="n">${s.n ? ms(s.p50Ms) : "—"}</td><td class="n">${s.n ? ms(s.p95Ms) : "—"}</td><td class="n">${s.n ? ms(s.p99Ms) : "—"}</td><td class="n">${s.n ? ms(s.maxMs) : "—"}</td></tr>`;
}

export function renderLoadHtml(r: LoadPage): string {
  const v = r.verdict;
  const cls = v.exitCode === 0 && v.trustworthy ? "ok" : v.exitCode === 1 ? "bad" : "harness";
  const xs = r.windows.map((w) => w.tMs / 1000);
  const reasons = Object.keys(r.totals.failed).filter((k) => r.totals.failed[k] > 0);
  const shardIds = [...new Set(r.windows.flatMap((w) => Object.keys(w.shardBusyPct).map(Number)))].sort((a, b) => a - b);
  const plots = [
    linePlot({
      title: "Turn latency per window",
      unit: "ms",
      xs,
      series: [
        { name: "p50", values: r.windows.map((w) => or(w.turn, "p50Ms")), color: COLORS[0] },
        { name: "p95", values: r.windows.map((w) => or(w.turn, "p95Ms")), color: COLORS[1] },
        { name: "p99", values: r.windows.map((w) => or(w.turn, "p99Ms")), color: COLORS[2] },
      ],
    }),
    linePlot({ title: "Calls in progress", unit: "calls", xs, series: [{ name: "active", values: r.windows.map((w) => w.active), color: COLORS[0] }, { name: "completed", values: r.windows.map((w) => w.completed), color: COLORS[3] }] }),
    linePlot({
      title: "Failures per window",
      unit: "calls",
      xs,
      series: (reasons.length ? reasons : ["none"]).map((k, i) => ({ name: k, values: r.windows.map((w) => w.failed[k] ?? 0), color: COLORS[(i + 2) % COLORS.length] })),
    }),
    linePlot({
      title: "bwemu's own pacing lateness",
      unit: "ms",
      xs,
      limit: { value: 5, label: "5 ms: above it, latency figures are untrustworthy" },
      series: [
        { name: "p50", values: r.windows.map((w) => or(w.lateness, "p50Ms")), color: COLORS[0] },
        { name: "p99", values: r.windows.map((w) => or(w.lateness, "p99Ms")), color: COLORS[2] },
      ],
    }),
    linePlot({
      title: "bwemu's CPU",
      unit: "% of one core; shards: thread busy %",
      xs,
      series: [
        { name: "process", values: r.windows.map((w) => w.cpuPct ?? null), color: COLORS[4] },
        ...shardIds.map((id, i) => ({ name: `shard ${id}`, values: r.windows.map((w) => w.shardBusyPct[id] ?? null), color: COLORS[(i + 5) % COLORS.length] })),
      ],
    }),
  ];
  const t = r.totals;
  const o = r.options;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bwemu load: ${r.appUrl}</title>
<link rel="icon" href="data:,">
<style>${raw(CSS)}
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 14px; }
figure.plot { margin: 0; } figure.plot svg { width: 100%; height: auto; font-size: 10px; fill: currentColor; }
.legend .item { margin-right: 12px; } .legend .dot { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
</style>
</head><body>
<header class="top"><div class="wrap"><div class="brand"><h1>bwemu load report</h1><div class="sub"><span class="mono">${r.appUrl}</span></div></div>
<div class="status ${cls}" role="status"><span>${v.summary}</span><small>exit ${v.exitCode}</small></div></div></header>
<main class="wrap">
${v.untrustworthy ? html`<section class="block"><div class="callout warn"><strong>Latency figures untrustworthy:</strong> ${v.untrustworthy}</div></section>` : raw("")}
<section class="block" id="summary"><h2>Summary</h2><div class="panel">
<dl class="meta">
<div><dt>Started</dt><dd>${r.startedAt.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC")}</dd></div>
<div><dt>Duration</dt><dd>${ms(r.elapsedMs)}${r.partial ? " (interrupted)" : ""}</dd></div>
<div class="wide"><dt>Load</dt><dd>${o.durationMs !== undefined ? `${o.calls} concurrent calls for ${ms(o.durationMs)}` : `${o.calls} calls`}${o.ratePerS ? `, ${o.ratePerS}/s` : ""}${o.rampMs ? `, ramp ${ms(o.rampMs)}` : ""}; ${o.workers ? `${o.workers} worker thread(s)` : "one thread"}; windows of ${ms(o.windowMs)}</dd></div>
<div><dt>Calls</dt><dd>${t.started} started · ${t.completed} completed (${t.cut} hung up at the end) · ${v.failed} failed · peak ${t.peakActive} at once</dd></div>
${r.crossTalk ? html`<div class="wide"><dt>Cross-talk</dt><dd>${r.crossTalk.note}</dd></div>` : raw("")}
</dl>
<table><thead><tr><th>figure</th><th class="n">n</th><th class="n">p50</th><th class="n">p95</th><th class="n">p99</th><th class="n">max</th></tr></thead><tbody>
${pctRow("turn latency (end of caller speech → first reply audio)", t.turn)}${pctRow("bridge overhead (turn latency − the stub's think time)", t.bridgeOverhead)}${pctRow("bwemu pacing lateness", t.lateness)}
</tbody></table>
<p class="muted">Percentiles from HDR histograms (3 significant digits), merged across shards, never averaged.</p>
</div></section>
<section class="block" id="plots"><h2>Over time</h2><div class="panel plots">${plots}</div></section>
<section class="block" id="failures"><h2>Failures</h2><div class="panel">${reasons.length ? html`<table><thead><tr><th>reason</th><th class="n">calls</th></tr></thead><tbody>${reasons.map((k) => html`<tr><td>${k}</td><td class="n">${t.failed[k]}</td></tr>`)}</tbody></table>
${r.examples.length ? html`<h3>Examples</h3><ul>${r.examples.map((e) => html`<li><span class="chip">${e.reason}</span> <span class="mono">${e.callId || "(no call id)"}</span>: ${clip(e.detail, 400)}</li>`)}</ul>` : raw("")}` : html`<p class="muted">No call failed.</p>`}</div></section>
<section class="block" id="shards"><h2>Shards</h2><div class="panel"><table><thead><tr><th>shard</th><th class="n">calls</th><th class="n">lateness p50</th><th class="n">p99</th><th class="n">max</th><th class="n">busy</th><th>note</th></tr></thead><tbody>
${t.shards.map((s) => html`<tr><td>${s.shard}</td><td class="n">${s.calls}</td><td class="n">${ms(s.lateness.p50Ms)}</td><td class="n">${ms(s.lateness.p99Ms)}</td><td class="n">${ms(s.lateness.maxMs)}</td><td class="n">${num(s.busyPct, 1)} %</td><td>${s.died ? `died holding ${s.died.calls} call(s): ${s.died.message}` : ""}</td></tr>`)}
</tbody></table></div></section>
</main>
<footer class="wrap">bwemu load · ${r.startedAt}</footer>
</body></html>
`;
  return page.s;
}
