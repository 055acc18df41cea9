// A small SVG line chart over time (load runs): one or more series on a shared x axis (seconds),
// optional dashed limit line, every value escaped by html``; no script, so it renders under the
// report's CSP as it is.

import { html, num, raw, type Raw } from "./escape.js";

export interface Series {
  name: string;
  /** y per x; null = no value in that window (a gap in the line). */
  values: (number | null)[];
  /** CSS colour. */
  color: string;
}

export interface PlotOptions {
  title: string;
  /** x of each value, seconds. */
  xs: number[];
  series: Series[];
  unit: string;
  /** A horizontal reference (e.g. the 5 ms lateness limit). */
  limit?: { value: number; label: string };
}

/** The viewBox, width by height. */
const [W, H] = [560, 180];
/** The plot area's margins inside it: left (y labels), right, top, bottom (x labels). */
const [L, R, T, B] = [44, 10, 12, 24];

export function linePlot(o: PlotOptions): Raw {
  const ys = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (!ys.length || !o.xs.length) return html`<figure class="plot"><figcaption>${o.title}</figcaption><p class="muted">No data.</p></figure>`;
  const hiY = Math.max(...ys, o.limit?.value ?? 0) * 1.08 || 1;
  const x0 = o.xs[0];
  const x1 = Math.max(o.xs[o.xs.length - 1], x0 + 1);
  const x = (v: number) => L + ((v - x0) / (x1 - x0)) * (W - L - R);
  const y = (v: number) => H - B - (v / hiY) * (H - B - T);
  const paths = o.series.map((s) => {
    let d = "";
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return void (pen = false);
      d += `${pen ? "L" : "M"}${x(o.xs[i]).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    return html`<path d="${d.trim()}" fill="none" stroke="${s.color}" stroke-width="1.6"><title>${s.name}</title></path>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => html`<text x="${L - 4}" y="${(y(hiY * f) + 4).toFixed(1)}" text-anchor="end">${num(hiY * f, hiY * f < 10 ? 1 : 0)}</text><line class="grid" x1="${L}" x2="${W - R}" y1="${y(hiY * f).toFixed(1)}" y2="${y(hiY * f).toFixed(1)}" stroke="currentColor" stroke-opacity="0.08"></line>`);
  const xt = [0, 0.5, 1].map((f) => html`<text x="${x(x0 + (x1 - x0) * f).toFixed(1)}" y="${H - 6}" text-anchor="middle">${num(x0 + (x1 - x0) * f, 0)} s</text>`);
  const limit = o.limit
    ? html`<line x1="${L}" x2="${W - R}" y1="${y(o.limit.value).toFixed(1)}" y2="${y(o.limit.value).toFixed(1)}" stroke="#b42318" stroke-dasharray="4 3"><title>${o.limit.label}</title></line>`
    : raw("");
  const legend = o.series.map((s) => html`<span class="item"><span class="dot" style="background:${s.color}"></span>${s.name}</span>`);
  return html`<figure class="plot"><figcaption>${o.title} <span class="muted">(${o.unit})</span></figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title} over time"><line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="currentColor"></line>${ticks}${limit}${paths}${xt}</svg><div class="legend">${legend}</div></figure>`;
}
