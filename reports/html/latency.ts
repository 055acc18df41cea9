// Latency tables (p50/p95/p99 with counts) and histograms with percentile markers and the budget.

import type { JitterDown, Latency, LatencyCalibrationResult, LatencyMetric, LatencySample, Percentiles } from "../model.js";
import { html, ms, num, raw, type Raw } from "./escape.js";

const METRICS: { key: "turn" | "bridgeOverhead" | "greeting" | "bargein"; title: string; what: string }[] = [
  { key: "turn", title: "Turn", what: "end of caller speech → first playAudio of the reply" },
  { key: "bridgeOverhead", title: "Bridge overhead", what: "turn latency minus the model's own think time" },
  { key: "greeting", title: "Greeting", what: "stream start → first playAudio" },
  { key: "bargein", title: "Barge-in", what: "caller speech start → clear" },
];

function niceStep(range: number, target: number): number {
  const raw = range / target;
  const pow = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function histogram(m: LatencyMetric, title: string): Raw {
  const values = m.samples.flatMap((s) => (s.valueMs === null ? [] : [s.valueMs]));
  if (!values.length) return html`<p class="muted">No samples.</p>`;
  const W = 380;
  const H = 150;
  const L = 34;
  const B = 22;
  let lo0 = m.budgetMs ?? Infinity;
  let hi0 = m.budgetMs ?? -Infinity;
  for (const v of values) {
    if (v < lo0) lo0 = v;
    if (v > hi0) hi0 = v;
  }
  const minSpan = Math.max(1, Math.abs(hi0) * 0.2);
  if (hi0 - lo0 < minSpan) {
    const pad = (minSpan - (hi0 - lo0)) / 2;
    lo0 = Math.max(0, lo0 - pad);
    hi0 = lo0 + Math.max(minSpan, hi0 - lo0 + pad);
  }
  const step = niceStep(Math.max(hi0 - lo0, 1), 14);
  const lo = Math.floor(lo0 / step) * step;
  const bins = Math.max(1, Math.floor((hi0 - lo) / step) + 1);
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / step))]++;
  const maxC = Math.max(...counts);
  const hi = lo + bins * step;
  const x = (v: number) => L + ((v - lo) / (hi - lo)) * (W - L - 8);
  const y = (c: number) => H - B - (c / maxC) * (H - B - 14);
  const bw = (W - L - 8) / bins;
  const bars = counts.map((c, i) => (c ? html`<rect class="b" x="${(L + i * bw + 1).toFixed(1)}" y="${y(c).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(H - B - y(c)).toFixed(1)}"><title>${num(lo + i * step, 1)}–${num(lo + (i + 1) * step, 1)} ms: ${c}</title></rect>` : raw("")));
  const labelsEvery = Math.ceil(bins / 6);
  const xl = Array.from({ length: bins + 1 }, (_, i) => i).filter((i) => i % labelsEvery === 0).map((i) => html`<text x="${x(lo + i * step).toFixed(1)}" y="${H - 6}" text-anchor="middle">${num(lo + i * step, step < 1 ? 1 : 0)}</text>`);
  // Percentile markers; coinciding ones share one label ("p95 p99").
  const byX = new Map<string, ("p50" | "p95" | "p99")[]>();
  for (const p of ["p50", "p95", "p99"] as const) if (m[p] !== null) byX.set(x(m[p]!).toFixed(1), [...(byX.get(x(m[p]!).toFixed(1)) ?? []), p]);
  const marks = [...byX].map(([px, ps]) => html`<line class="p ${ps[ps.length - 1]}" x1="${px}" x2="${px}" y1="11" y2="${H - B}"><title>${ps.map((p) => `${p} ${ms(m[p])}`).join(", ")}</title></line><text class="pl" x="${px}" y="9" text-anchor="middle">${ps.join(" ")}</text>`);
  const budget = m.budgetMs !== undefined ? html`<line class="p budget" x1="${x(m.budgetMs).toFixed(1)}" x2="${x(m.budgetMs).toFixed(1)}" y1="22" y2="${H - B}"><title>budget ${ms(m.budgetMs)}</title></line><text class="pl budget" x="${(x(m.budgetMs) - 3).toFixed(1)}" y="30" text-anchor="end">budget</text>` : raw("");
  return html`<svg class="hist" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title} histogram: ${values.length} samples, p50 ${ms(m.p50)}, p95 ${ms(m.p95)}, p99 ${ms(m.p99)}"><line class="axis" x1="${L}" x2="${W - 8}" y1="${H - B}" y2="${H - B}"></line><text x="${L - 4}" y="${y(maxC) + 4}" text-anchor="end">${maxC}</text><text x="${L - 4}" y="${H - B}" text-anchor="end">0</text>${bars}${budget}${marks}${xl}</svg>`;
}

function over(m: LatencyMetric): boolean {
  const p = m.budgetPercentile ?? "p95";
  return m.budgetMs !== undefined && m[p] !== null && m[p]! > m.budgetMs;
}

function pctCells(p: Percentiles, budgetBreach?: "p50" | "p95" | "p99"): Raw {
  return html`<td class="n">${p.n}${p.lowN ? html` <span class="warn-n" title="fewer than 20 samples: p95/p99 are close to the maximum">low n</span>` : raw("")}</td><td class="n">${p.failures || "0"}</td>${(["p50", "p95", "p99"] as const).map((k) => html`<td class="n ${budgetBreach === k ? "over" : ""}">${ms(p[k])}</td>`)}<td class="n">${ms(p.min)}</td><td class="n">${ms(p.max)}</td><td class="n">${ms(p.mean)}</td>`;
}

function jitter(j: JitterDown): Raw {
  return html`<div class="panel" style="grid-column: 1 / -1"><h3>Downstream jitter</h3><p class="muted">Spacing of playAudio arrivals; underruns are holes a caller hears.</p>
<table><thead><tr><th>gaps</th><th class="n">n</th><th class="n">fail</th><th class="n">p50</th><th class="n">p95</th><th class="n">p99</th><th class="n">min</th><th class="n">max</th><th class="n">mean</th></tr></thead>
<tbody><tr><td>between messages</td>${pctCells(j.gaps)}</tr></tbody></table>
<p><strong class="${j.underruns ? "over" : ""}">${j.underruns} underrun${j.underruns === 1 ? "" : "s"}</strong> · ${ms(j.underrunMs)} of inserted silence</p>
${j.samples.length ? html`<table><thead><tr><th>call</th><th class="n">underruns</th><th class="n">max gap</th></tr></thead><tbody>${j.samples.map((s) => html`<tr><td class="mono">${s.callId}</td><td class="n">${s.underruns}</td><td class="n">${ms(s.maxGapMs)}</td></tr>`)}</tbody></table>` : raw("")}</div>`;
}

const MAX_POINT_ROWS = 60;

/** One row per turn with the points its figure comes from, so a reader can check it by hand. */
function pointsTable(samples: LatencySample[], valueTitle: string): Raw {
  const rows = samples.filter((s) => s.points);
  if (!rows.length) return raw("");
  const f = (v?: number) => (v === undefined ? "—" : v.toFixed(3));
  return html`<table><thead><tr><th>call</th><th class="n">turn</th><th class="n">${valueTitle}</th><th class="n">C_end</th><th class="n">C_first</th><th class="n">S_end</th><th class="n">S_first</th><th>note</th></tr></thead><tbody>${rows.slice(0, MAX_POINT_ROWS).map(
    (s) => html`<tr><td class="mono">${s.callId}</td><td class="n">${s.turn ?? ""}</td><td class="n ${s.harnessError ? "over" : ""}">${s.valueMs === null ? "—" : num(s.valueMs, 3)}</td><td class="n mono">${f(s.points!.cEndMs)}</td><td class="n mono">${f(s.points!.cFirstMs)}</td><td class="n mono">${f(s.points!.sEndMs)}</td><td class="n mono">${f(s.points!.sFirstMs)}</td><td>${s.note ?? ""}</td></tr>`,
  )}</tbody></table>${rows.length > MAX_POINT_ROWS ? html`<p class="muted">… and ${rows.length - MAX_POINT_ROWS} more turns in the JSON report.</p>` : raw("")}`;
}

function calibration(c: LatencyCalibrationResult): Raw {
  return html`<div class="panel" style="grid-column: 1 / -1"><h3>Calibration: direct mode, no bridge</h3>
<p class="${c.ok ? "" : "over"}">${c.ok ? `Calibrated: with no bridge, B read 0 ± ${c.toleranceMs} ms on every turn (the stated measurement error of B).` : `Off: ${c.reason ?? "unknown"}. Turn latency and bridge overhead are withheld.`}</p>
${pointsTable(c.samples, "B ms")}</div>`;
}

const POINTS_NOTE = "Points in ms, each on its own side's clock (C_* carrier, S_* stub): L = C_first − C_end, K = S_first − S_end, B = L − K.";

export function renderLatency(lat: Latency): Raw {
  const present = METRICS.filter((m) => lat[m.key]);
  if (!present.length && !lat.jitterDown && !lat.calibration) return html`<p class="muted">No latency was measured in this run.</p>`;
  const table = present.length
    ? html`<div class="panel"><table><thead><tr><th>metric</th><th class="n">n</th><th class="n">failures</th><th class="n">p50</th><th class="n">p95</th><th class="n">p99</th><th class="n">min</th><th class="n">max</th><th class="n">mean</th><th class="n">budget</th></tr></thead><tbody>${present.map((m) => {
        const v = lat[m.key]!;
        const breach = over(v) ? (v.budgetPercentile ?? "p95") : undefined;
        return html`<tr><td><strong>${m.title}</strong><br><span class="muted">${m.what}</span></td>${pctCells(v, breach)}<td class="n">${v.budgetMs !== undefined ? html`${v.budgetPercentile ?? "p95"} ≤ ${ms(v.budgetMs)}` : "—"}</td></tr>`;
      })}</tbody></table><p class="muted">Measured at the carrier, as a caller hears it; PSTN legs excluded. Percentiles are nearest-rank; failures (no reply) are counted apart.</p></div>`
    : raw("");
  const cards = present.map((m) => {
    const v = lat[m.key]!;
    const failed = v.samples.filter((s) => s.valueMs === null);
    return html`<div class="panel"><h3>${m.title}</h3><p class="muted">${m.what} (ms)</p>${histogram(v, m.title)}${failed.length ? html`<p class="warn-n">${failed.length} sample${failed.length > 1 ? "s" : ""} without a value: ${failed.slice(0, 20).map((s) => html`<span class="chip wrap">${s.callId}${s.turn !== undefined ? ` turn ${s.turn}` : ""}${s.note ? `: ${s.note}` : ""}</span>`)}${failed.length > 20 ? ` … and ${failed.length - 20} more` : ""}</p>` : raw("")}</div>`;
  });
  const b = lat.bridgeOverhead;
  const points = b && b.samples.some((x) => x.points)
    ? html`<div class="panel" style="grid-column: 1 / -1"><h3>Bridge overhead per turn</h3><p class="muted">${POINTS_NOTE}</p>${pointsTable(b.samples, "B ms")}</div>`
    : raw("");
  return html`${table}<div class="lat-grid" style="margin-top:14px">${lat.calibration ? calibration(lat.calibration) : raw("")}${cards}${points}${lat.jitterDown ? jitter(lat.jitterDown) : raw("")}</div>`;
}
