// The sequence view: one row per event (bulk traffic collapsed), time on the left, three lanes
// with arrows between their centres. Each row expands to the event's recorded data.

import type { RecordedEvent } from "../model.js";
import { html, raw, type Raw } from "./escape.js";
import { collapse, describe, LANE_NAMES, type EventView, type Row } from "./events.js";

export const DEFAULT_MAX_ROWS = 1500;

function fmtT(us: number): string {
  const s = us / 1e6;
  return `${s < 0 ? "−" : ""}${Math.abs(s).toFixed(3)} s`;
}

const SHORT = ["carrier", "bridge", "model"] as const;

/** Words for screen readers: who sent to whom (the arrow says it visually). */
function who(v: EventView): string {
  if (v.from === "all" || v.to === "all") return "harness: ";
  return v.from === v.to ? `${SHORT[v.from]}: ` : `${SHORT[v.from]} to ${SHORT[v.to]}: `;
}

function cell(v: EventView, bulk: boolean): Raw {
  const cls = `tone-${v.tone}${bulk ? " bulk" : ""}`;
  const sr = html`<span class="sr">${who(v)}</span>`;
  if (v.from === "all" || v.to === "all") return html`<div class="span-all ${cls}" style="grid-column: 1 / 7"><span class="lbl" title="${v.label}">${sr}${v.label}</span></div>`;
  if (v.from === v.to) {
    const c = v.from * 2 + 1;
    return html`<div class="self ${cls}" style="grid-column: ${c} / ${c + 2}"><span class="lbl" title="${v.label}">${sr}${v.label}</span></div>`;
  }
  const a = Math.min(v.from, v.to) * 2 + 2;
  const b = Math.max(v.from, v.to) * 2 + 2;
  const dir = v.to > v.from ? "r" : "l";
  return html`<div class="arrow ${dir} ${cls}" style="grid-column: ${a} / ${b}"><span class="lbl" title="${v.label}">${sr}${v.label}</span><span class="line"></span></div>`;
}

function detail(row: Row): string {
  if (row.type === "event") return JSON.stringify(row.e, null, 2);
  return JSON.stringify({ collapsed: row.count, firstEvent: row.first, lastEvent: row.last }, null, 2);
}

/** One row of the diagram; `id` lets a live page replace it as its run of traffic grows. */
export function renderRow(row: Row, t0: number, id?: string): Raw {
  const first = row.type === "event" ? row.e : row.first;
  const view = row.type === "event" ? describe(row.e) : row.view;
  const t = fmtT(first.t - t0);
  return html`<details class="row"${id ? html` id="${id}"` : raw("")}><summary><span class="t">${t}</span><div class="lanes">${cell(view, row.type === "bulk")}</div></summary><pre>${detail(row)}</pre></details>`;
}

/** The lane names above the rows. */
export function sequenceHead(): Raw {
  return html`<div class="head"><span class="t">time</span><div class="lanes">${LANE_NAMES.map((n) => html`<span class="ln">${n}</span>`)}</div></div>`;
}

/** Render events as a sequence diagram. `t0Us` is time zero (the call's start). */
export function renderSequence(events: readonly RecordedEvent[], opts: { t0Us?: number; maxRows?: number; label: string }): Raw {
  if (!events.length) return html`<p class="muted">No events recorded.</p>`;
  const t0 = opts.t0Us ?? events[0].t;
  const rows = collapse(events);
  const max = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const shown = rows.slice(0, max);
  const body = shown.map((row) => renderRow(row, t0));
  return html`<div class="seq" role="group" aria-label="${opts.label}">
${sequenceHead()}
${body}${rows.length > max ? html`<div class="more">… ${rows.length - max} more rows not shown (the JSON report has them all)</div>` : raw("")}
</div>`;
}
