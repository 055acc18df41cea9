// The HTML report: one self-contained file (inline CSS and script, audio as data: URIs) that opens
// from disk with no server and no network. A strict CSP allows only the report's own script (by
// hash) and forbids every fetch, so even a missed escape could not run or load anything.
// Sections: summary → matrix by group (Autobahn-like) → cases (expected vs observed, evidence)
// → calls (audio, BXML with diagnostics, sequence timeline) → latency → lint → harness.

import { createHash } from "node:crypto";
import type { CallRecord, CaseResult, RunResult, Verdict } from "../model.js";
import { VERDICTS } from "../model.js";
import { PUBLIC_PAGES } from "../../emulator/references.js";
import { caseHelpUrl, casePage } from "../help.js";
import { renderClip, DEFAULT_MAX_AUDIO_SECONDS } from "./audio.js";
import { renderBxml } from "./bxml.js";
import { clip, html, idFor, ms, raw, safeHref, type Raw } from "./escape.js";
import { renderLatency } from "./latency.js";
import { renderSequence, DEFAULT_MAX_ROWS } from "./sequence.js";
import { SCRIPT } from "./script.js";
import { CSS } from "./style.js";
import { VERDICT_GLYPH, VERDICT_LABEL, VERDICT_MEANING } from "./verdicts.js";

export interface HtmlOptions {
  /** Page title (default: "bwemu report: <target label or app URL>"). */
  title?: string;
  /** Rows per call timeline before the rest is elided (default 1500). */
  maxTimelineRows?: number;
  /** Longest audio embedded per clip (default 300 s). */
  maxAudioSeconds?: number;
  /** Open failing cases by default (default true). */
  openFailures?: boolean;
}

export const CSP_SCRIPT_HASH = `sha256-${createHash("sha256").update(SCRIPT).digest("base64")}`;
export const CSP = `default-src 'none'; script-src '${CSP_SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; media-src data:; base-uri 'none'; form-action 'none'`;

const caseAnchor = (id: string) => idFor("case", id);
const callAnchor = (id: string) => idFor("call", id);

function badge(v: Verdict): Raw {
  return html`<span class="badge v-${v}" title="${VERDICT_MEANING[v]}"><span aria-hidden="true">${VERDICT_GLYPH[v]}</span> ${VERDICT_LABEL[v]}</span>`;
}

function groupsOf(cases: readonly CaseResult[]): [string, CaseResult[]][] {
  const m = new Map<string, CaseResult[]>();
  for (const c of cases) m.set(c.group, [...(m.get(c.group) ?? []), c]);
  return [...m];
}

function statusOf(run: RunResult): { cls: string; text: string; sub: string } {
  const s = run.summary;
  if (s.exitCode === 1) {
    const n = s.newFailures.length;
    return { cls: "bad", text: `✗ ${n} failing case${n === 1 ? "" : "s"}`, sub: `exit 1: the bridge broke ${run.options.strict ? "a MUST or SHOULD" : "a MUST"} case` };
  }
  if (s.exitCode === 3) return { cls: "harness", text: `⚠ harness errors`, sub: `exit 3: ${s.counts.error} case${s.counts.error === 1 ? "" : "s"} could not run; no bridge failure` };
  if (s.exitCode === 2) return { cls: "harness", text: "usage or config error", sub: "exit 2" };
  return { cls: "ok", text: "✓ conformant", sub: `exit 0: every ${run.options.strict ? "MUST and SHOULD" : "MUST"} case passes${run.options.baseline ? " (beyond the baseline)" : ""}` };
}

function header(run: RunResult): Raw {
  const st = statusOf(run);
  return html`<header class="top"><div class="wrap"><div class="brand"><h1>bwemu conformance report</h1><div class="sub">${run.target.label ? html`<strong>${run.target.label}</strong> · ` : raw("")}<span class="mono">${run.target.appUrl}</span></div></div>
<div class="status ${st.cls}" role="status"><span>${st.text}</span><small>${st.sub}</small></div></div></header>`;
}

function nav(run: RunResult): Raw {
  const links: [string, string][] = [["summary", "Summary"], ["matrix", "Matrix"], ["cases", `Cases (${run.cases.length})`], ["calls", `Calls (${run.calls.length})`], ["latency", "Latency"]];
  if (run.lint.length) links.push(["lint", "Lint"]);
  links.push(["harness", "Harness"]);
  return html`<nav class="sections" aria-label="Sections"><div class="wrap">${links.map(([id, t]) => html`<a href="#${id}">${t}</a>`)}</div></nav>`;
}

function summary(run: RunResult): Raw {
  const s = run.summary;
  const o = run.options;
  const segs = VERDICTS.filter((v) => s.counts[v]).map((v) => html`<span class="v-${v} bg-v" style="width:${((s.counts[v] / Math.max(1, s.total)) * 100).toFixed(3)}%" title="${VERDICT_LABEL[v]}: ${s.counts[v]}"></span>`);
  const idLinks = (ids: string[]) => ids.map((id, i) => html`${i ? ", " : ""}<a href="#${caseAnchor(id)}">${id}</a>`);
  return html`<section class="block" id="summary" aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2><div class="panel">
<dl class="meta">
<div class="wide"><dt>Bridge</dt><dd class="mono">${run.target.appUrl}</dd></div>
${run.target.direction && run.target.direction !== "inbound" ? html`<div class="wide"><dt>Calls</dt><dd>${run.target.direction === "both" ? html`inbound (initiate) and outbound (answer, as REST createCall): each case judged on both; outbound verdicts are <span class="mono">…@outbound</span>` : "outbound (answer, as REST createCall)"}${run.target.answerUrl ? html` · answerUrl <span class="mono">${run.target.answerUrl}</span>` : raw("")}</dd></div>` : raw("")}
<div><dt>Model</dt><dd>${run.target.realtime === "stub" ? "bwemu Realtime stub" : run.target.upstream === "opaque" ? "opaque: bwemu cannot see the bridge's upstream (cases that need the stub's records are skipped)" : html`<span class="mono">${run.target.realtime}</span>`}</dd></div>
<div><dt>Started</dt><dd>${run.startedAt.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC")}</dd></div>
<div><dt>Duration</dt><dd>${ms(run.durationMs)}</dd></div>
<div class="wide"><dt>Options</dt><dd>${o.strict ? html`<span class="chip">--strict</span>` : raw("")}${o.cases.map((c) => html`<span class="chip">cases ${c}</span>`)}${o.exclude.map((c) => html`<span class="chip">exclude ${c}</span>`)}${o.repeat > 1 ? html`<span class="chip">repeat ×${o.repeat}</span>` : raw("")}${o.baseline ? html`<span class="chip">baseline ${o.baseline}</span>` : raw("")}</dd></div>
<div><dt>Tool</dt><dd>${run.tool.name} ${run.tool.version}</dd></div>
</dl>
<h3 style="margin-top:16px">${s.total} case${s.total === 1 ? "" : "s"}</h3>
<div class="bar" role="img" aria-label="${VERDICTS.filter((v) => s.counts[v]).map((v) => `${s.counts[v]} ${VERDICT_LABEL[v]}`).join(", ") || "no cases"}">${segs}</div>
<div class="legend">${VERDICTS.map((v) => html`<span class="item v-${v}" title="${VERDICT_MEANING[v]}"><span class="dot bg-v"></span>${VERDICT_LABEL[v]} <b>${s.counts[v]}</b></span>`)}</div>
<div class="callouts">${s.newFailures.length ? html`<div class="callout bad"><strong>${o.baseline ? "New failures" : "Failures"} (${s.newFailures.length}):</strong> ${idLinks(s.newFailures)}</div>` : raw("")}${s.unexpectedPasses.length ? html`<div class="callout good"><strong>Unexpected passes (${s.unexpectedPasses.length}):</strong> ${idLinks(s.unexpectedPasses)}: the baseline can shrink.</div>` : raw("")}${run.harness.warnings.length ? html`<div class="callout warn"><strong>Harness warnings:</strong> ${run.harness.warnings.length}; <a href="#harness">see Harness</a></div>` : raw("")}</div>
</div></section>`;
}

function matrix(run: RunResult): Raw {
  if (!run.cases.length) return html`<section class="block" id="matrix"><h2>Matrix</h2><div class="panel"><p class="muted">No cases were selected.</p></div></section>`;
  const rows = groupsOf(run.cases).map(([g, cs]) => {
    const counts = Object.fromEntries(VERDICTS.map((v) => [v, cs.filter((c) => c.verdict === v).length])) as Record<Verdict, number>;
    const tiles = cs.map((c) => {
      const short = c.id.startsWith(`${g}.`) ? c.id.slice(g.length + 1) : c.id;
      return html`<a class="tile v-${c.verdict}" href="#${caseAnchor(c.id)}" title="${c.id}: ${VERDICT_LABEL[c.verdict]} (${c.level})" aria-label="${c.id}: ${VERDICT_LABEL[c.verdict]}"><span class="g" aria-hidden="true">${VERDICT_GLYPH[c.verdict]}</span><span class="t">${short}</span></a>`;
    });
    return html`<tr><td class="group">${g}</td><td><div class="tiles">${tiles}</div></td>${VERDICTS.map((v) => html`<td class="cnt v-${v} ${counts[v] ? "some" : "zero"}">${counts[v] || "·"}</td>`)}</tr>`;
  });
  return html`<section class="block" id="matrix" aria-labelledby="h-matrix"><h2 id="h-matrix">Matrix</h2><div class="panel" style="overflow-x:auto"><table class="matrix"><thead><tr><th>group</th><th>cases</th>${VERDICTS.map((v) => html`<th class="n v-${v}" title="${VERDICT_MEANING[v]}">${v === "unimplemented" ? "unimpl." : v}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function sourceLink(src: string): Raw {
  if (src === "pitfall") return html`<span>a pitfall seen in real bridges (no public page)</span>`;
  const href = safeHref(src);
  return href ? html`<a class="source-link" href="${href}" rel="noreferrer noopener">${PUBLIC_PAGES.get(src) ?? src}</a>` : html`<span class="mono">${src}</span>`;
}

function caseBody(c: CaseResult, run: RunResult, callsById: Map<string, CallRecord>): Raw {
  const kv: Raw[] = [];
  kv.push(html`<dt>Expectation</dt><dd>${c.expectation}</dd>`);
  if (c.outcomes.length) kv.push(html`<dt>Acceptable outcomes</dt><dd><ul>${c.outcomes.map((o) => html`<li>${o}</li>`)}</ul></dd>`);
  kv.push(html`<dt>Source</dt><dd>${sourceLink(c.source)}</dd>`);
  kv.push(html`<dt>Docs</dt><dd><a class="docs-link" href="${caseHelpUrl(c.id)}" rel="noreferrer noopener">docs/${casePage(c.id)}</a></dd>`);
  if (c.callIds.length) kv.push(html`<dt>Calls</dt><dd>${c.callIds.map((id) => html`<a class="chip" href="#${callAnchor(id)}">${callsById.get(id)?.label ?? id}</a>`)}</dd>`);
  if (c.metrics && Object.keys(c.metrics).length) kv.push(html`<dt>Metrics</dt><dd>${Object.entries(c.metrics).map(([k, v]) => html`<span class="chip">${k} = ${Number.isInteger(v) ? String(v) : v.toFixed(2)}</span>`)}</dd>`);
  if (c.teardown) {
    const t = c.teardown;
    kv.push(html`<dt>Teardown</dt><dd>closed by <strong>${t.closedBy}</strong>${t.code !== undefined ? html` with <span class="mono">${t.code}</span>` : raw("")} · ${t.clean ? "clean close" : html`<span class="tone-bad">not clean</span>`} · upstream ${t.upstreamClosed === null ? "not observable" : t.upstreamClosed ? "closed" : html`<span class="tone-bad">left open</span>`}</dd>`);
  }
  if (c.repeat) kv.push(html`<dt>Repeat</dt><dd><span class="runs" aria-hidden="true">${c.repeat.verdicts.map((v) => html`<span class="v-${v}" title="${v}"></span>`)}</span>${(c.repeat.passRate * 100).toFixed(0)}% pass over ${c.repeat.runs} runs (${c.repeat.verdicts.join(", ")})</dd>`);
  if (c.baseline) kv.push(html`<dt>Baseline</dt><dd><span class="tag ${c.baseline}">${c.baseline}</span>${c.baselineReason ? html` ${c.baselineReason}` : raw("")}</dd>`);
  if (c.location) kv.push(html`<dt>Location</dt><dd class="mono">${c.location.uri}${c.location.line ? `:${c.location.line}${c.location.col ? `:${c.location.col}` : ""}` : ""}</dd>`);
  kv.push(html`<dt>Duration</dt><dd>${ms(c.durationMs)}</dd>`);
  const eo = c.expected !== undefined || c.observed !== undefined
    ? html`<div class="eo"><div><h4>Expected</h4><pre>${c.expected ?? "—"}</pre></div><div class="observed"><h4>Observed</h4><pre>${c.observed ?? "—"}</pre></div></div>`
    : raw("");
  const msg = c.message ? html`<div class="message"><pre>${c.message}</pre></div>` : raw("");
  const t0 = c.evidence.length ? callsById.get(c.evidence[0].callId ?? "")?.startUs : undefined;
  const evidence = c.evidence.length
    ? html`<details class="sub"><summary>Evidence · ${c.evidence.length} event${c.evidence.length === 1 ? "" : "s"}${t0 !== undefined ? " (time from call start)" : ""}</summary>${renderSequence(c.evidence, { t0Us: t0, maxRows: 400, label: `Evidence for ${c.id}` })}</details>`
    : raw("");
  return html`<div class="case-body">${eo}${msg}<dl class="kv">${kv}</dl>${evidence}</div>`;
}

function cases(run: RunResult, opts: HtmlOptions): Raw {
  const callsById = new Map(run.calls.map((c) => [c.callId, c]));
  const present = VERDICTS.filter((v) => run.summary.counts[v]);
  const toolbar = html`<div class="toolbar" role="toolbar" aria-label="Filter cases">${present.map((v) => html`<button type="button" class="v-${v}" data-filter="${v}" aria-pressed="true"><span class="dot bg-v"></span>${VERDICT_LABEL[v]} ${run.summary.counts[v]}</button>`)}<span class="sep"></span><button type="button" data-expand="open">Expand all</button><button type="button" data-expand="close">Collapse all</button></div>`;
  const groups = groupsOf(run.cases).map(([g, cs]) => html`<div class="group-block"><div class="group-h"><h3>${g}</h3><span class="muted">${cs.length} case${cs.length === 1 ? "" : "s"}</span></div>${cs.map((c) => {
    const open = (opts.openFailures ?? true) && (c.verdict === "fail" || c.verdict === "error") && c.baseline !== "expected";
    return html`<details class="case v-${c.verdict}" id="${caseAnchor(c.id)}" data-verdict="${c.verdict}"${raw(open ? " open" : "")}><summary>${badge(c.verdict)}<span class="level ${c.level}">${c.level}</span><span class="id">${c.id}</span><span class="title" title="${c.title}">${c.title}</span><span class="right">${c.baseline ? html`<span class="tag ${c.baseline}">${c.baseline}</span>` : raw("")}${c.repeat ? html`<span>${(c.repeat.passRate * 100).toFixed(0)}% of ${c.repeat.runs}</span>` : raw("")}<span>${ms(c.durationMs)}</span><span class="chev" aria-hidden="true">▸</span></span></summary>${caseBody(c, run, callsById)}</details>`;
  })}</div>`);
  return html`<section class="block" id="cases" aria-labelledby="h-cases"><h2 id="h-cases">Cases</h2>${run.cases.length ? html`${toolbar}${groups}` : html`<div class="panel"><p class="muted">No cases were selected.</p></div>`}</section>`;
}

function call(c: CallRecord, opts: HtmlOptions): Raw {
  const maxS = opts.maxAudioSeconds ?? DEFAULT_MAX_AUDIO_SECONDS;
  const streams = c.streams.length
    ? html`<div class="panel"><h3>Streams</h3><table><thead><tr><th>name</th><th>destination</th><th>mode</th><th>tracks</th><th class="n">sent</th><th class="n">received</th><th class="n">playAudio</th><th class="n">clear</th><th>closed</th></tr></thead><tbody>${c.streams.map((s) => html`<tr><td class="mono">${s.name}</td><td class="mono" style="overflow-wrap:anywhere">${s.destination}</td><td>${s.mode}</td><td>${s.tracks}</td><td class="n">${s.framesSent}</td><td class="n">${s.framesReceived}</td><td class="n">${s.playAudioCount ?? "—"}</td><td class="n">${s.clearCount ?? "—"}</td><td>${s.closedBy ? html`${s.closedBy} <span class="mono">${s.closeCode ?? ""}</span>` : "—"}</td></tr>`)}</tbody></table></div>`
    : raw("");
  const audio = html`<div class="panel"><h3>Audio</h3><div class="call-grid">${renderClip(c.audio.caller, "Caller", "carrier → bridge", "caller", c.callId, maxS)}${renderClip(c.audio.returned, "Returned", "bridge → carrier (all playAudio)", "returned", c.callId, maxS)}${c.audio.heard ? renderClip(c.audio.heard, "Heard", "what the caller heard", "heard", c.callId, maxS) : raw("")}</div></div>`;
  const docs = c.documents.length ? html`<div class="panel"><h3>BXML received</h3><div class="call-grid">${c.documents.map((d, i) => renderBxml(d, i))}</div></div>` : raw("");
  const seq = html`<details class="sub"><summary>Sequence · ${c.timeline.length} events${c.timelineDropped ? ` (${c.timelineDropped} not kept)` : ""}</summary>${renderSequence(c.timeline, { t0Us: c.startUs, maxRows: opts.maxTimelineRows ?? DEFAULT_MAX_ROWS, label: `Sequence of call ${c.label ?? c.callId}` })}</details>`;
  return html`<article class="call" id="${callAnchor(c.callId)}"><div class="call-h"><h3>${c.label ?? "call"}</h3><span class="mono">${c.callId}</span><span class="chip">${ms(c.durationMs)}</span><span class="chip ${["hangup", "timeout"].includes(c.disconnectCause) ? "" : "tone-bad"}">cause ${c.disconnectCause}</span>${c.errorMessage ? html`<span class="chip tone-bad" title="${c.errorMessage}">${clip(c.errorMessage, 90)}</span>` : raw("")}</div>
<div class="call-grid">${audio}${docs}${streams}${seq}</div></article>`;
}

function lint(run: RunResult): Raw {
  if (!run.lint.length) return raw("");
  return html`<section class="block" id="lint" aria-labelledby="h-lint"><h2 id="h-lint">Lint</h2><div class="panel">${run.lint.map((f) => html`<h3 class="mono" style="margin:8px 0 4px">${f.file}</h3>${f.diagnostics.length ? html`<table><thead><tr><th>level</th><th>line:col</th><th>rule</th><th>message</th></tr></thead><tbody>${f.diagnostics.map((d) => html`<tr><td class="tone-${d.level === "error" ? "bad" : d.level === "warning" ? "warn" : "info"}">${d.level}</td><td class="mono">${d.line}:${d.col}</td><td class="mono">${d.ruleId}</td><td>${d.message}</td></tr>`)}</tbody></table>` : html`<p class="muted">No diagnostics.</p>`}`)}</div></section>`;
}

function harness(run: RunResult): Raw {
  const h = run.harness;
  return html`<section class="block" id="harness" aria-labelledby="h-harness"><h2 id="h-harness">Harness</h2><div class="panel">${h.schedulerLateness ? html`<p>Pacing scheduler lateness: p50 ${ms(h.schedulerLateness.p50Us / 1000)} · p99 ${ms(h.schedulerLateness.p99Us / 1000)} · max ${ms(h.schedulerLateness.maxUs / 1000)}${h.schedulerLateness.frames !== undefined ? ` over ${h.schedulerLateness.frames} frames` : ""}. When bwemu itself slips, affected cases are marked <em>harness error</em>, never blamed on the bridge.</p>` : html`<p class="muted">No scheduler measurements.</p>`}${h.warnings.length ? html`<ul>${h.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : html`<p class="muted">No harness warnings.</p>`}</div></section>`;
}

/** Render the run as one self-contained HTML document. */
export function renderHtml(run: RunResult, opts: HtmlOptions = {}): string {
  const title = opts.title ?? `bwemu report: ${run.target.label ?? run.target.appUrl}`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${run.tool.name} ${run.tool.version}">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${raw(CSS)}</style>
</head><body>
<a class="skip" href="#cases">Skip to cases</a>
${header(run)}${nav(run)}
<main class="wrap">
${summary(run)}${matrix(run)}${cases(run, opts)}
<section class="block" id="calls" aria-labelledby="h-calls"><h2 id="h-calls">Calls</h2>${run.calls.length ? run.calls.map((c) => call(c, opts)) : html`<div class="panel"><p class="muted">No calls were placed.</p></div>`}</section>
<section class="block" id="latency" aria-labelledby="h-latency"><h2 id="h-latency">Latency</h2>${renderLatency(run.latency)}</section>
${lint(run)}${harness(run)}
</main>
<footer class="wrap">${run.tool.name} ${run.tool.version} · run result schema v${run.schemaVersion} · ${run.startedAt} → ${run.finishedAt}</footer>
<script>${raw(SCRIPT)}</script>
</body></html>
`;
  return page.s;
}
