// The live page of `bwemu serve`: the list of calls and one call as it happens. Server-rendered with
// the HTML report's pieces (escaping, BXML with diagnostics, sequence rows, styles); the only script
// is static (script.ts, allowed by hash) and swaps in fragments the server renders and sends as
// server-sent events, so nothing an app sent is ever script. Pure: data in, HTML out.

import { createHash } from "node:crypto";
import type { AudioClip, CallDocument, RecordedEvent } from "../model.js";
import { renderClip } from "../html/audio.js";
import { renderBxml } from "../html/bxml.js";
import { CSP as REPORT_CSP } from "../html/render.js";
import { SCRIPT as REPORT_SCRIPT } from "../html/script.js";
import { clip, html, ms, raw, safeHref, type Raw } from "../html/escape.js";
import { renderSequence, sequenceHead } from "../html/sequence.js";
import { CSS } from "../html/style.js";
import { LIVE_CSS } from "./style.js";
import { LIVE_SCRIPT } from "./script.js";

export const LIVE_CSP = `default-src 'none'; script-src 'sha256-${createHash("sha256").update(LIVE_SCRIPT).digest("base64")}'; style-src 'unsafe-inline'; img-src data:; media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'`;

/** Headers every page is served with (the CSP also as a header, so it holds before the document is parsed). */
export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": `${LIVE_CSP}; frame-ancestors 'none'`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export interface CallSummary {
  callId: string;
  direction: string;
  state: string;
  from: string;
  to: string;
  appUrl: string;
  label?: string;
  startTime: string;
  durationMs?: number;
  cause?: string;
  errorMessage?: string;
}

export interface ExchangeRow {
  /** ms since the call started. */
  atMs: number;
  role: string;
  eventType?: string;
  method: string;
  url: string;
  status?: number;
  durationMs: number;
  attempt: number;
  fallback?: boolean;
  error?: string;
}

export interface TurnRow {
  index: number;
  kind: string;
  turnMs?: number;
  bargeInMs?: number;
  /** What the bridge added to the turn (B = turn latency − the stub's think time), once known. */
  bridgeOverheadMs?: number;
  note?: string;
}

export interface AudioFile {
  name: string;
  url: string;
  who: string;
}

export interface ServerInfo {
  url: string;
  apiBaseUrl: string;
  accountId: string;
  realtime?: string;
  maxCalls: number;
}

const MAX_LISTED = 300;

function shell(title: string, body: Raw, info: ServerInfo): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${LIVE_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${raw(CSS)}${raw(LIVE_CSS)}</style>
</head><body>
<header class="top"><div class="wrap"><div class="brand"><h1><a href="/" class="home">bwemu serve</a></h1><div class="sub">Voice API <span class="mono">${info.apiBaseUrl}</span> · account <span class="mono">${info.accountId}</span>${info.realtime ? html` · Realtime <span class="mono">${info.realtime}</span>` : raw("")}</div></div>
<div class="status ok" id="conn" role="status"><span>● live</span></div></div></header>
<div class="notice" id="notice" hidden></div>
<main class="wrap">${body}</main>
<script>${raw(LIVE_SCRIPT)}</script>
</body></html>
`.s;
}

const stateTone = (c: CallSummary): string => (c.state !== "disconnected" ? "tone-info" : !c.cause || ["hangup", "timeout", "cancel"].includes(c.cause) ? "" : "tone-bad");

/** One call in the list (replaced by id as its state changes). */
export function callListItem(c: CallSummary): Raw {
  return html`<li class="call-item" id="${`li-${c.callId}`}" data-state="${c.state}"><a href="/calls/${encodeURIComponent(c.callId)}"><span class="chip ${stateTone(c)}">${c.state}${c.cause ? ` · ${c.cause}` : ""}</span><span class="chip">${c.direction}</span><span class="mono">${c.callId}</span> <span class="muted">${c.from} → ${c.to}</span> <span class="mono muted app">${clip(c.appUrl, 80)}</span>${c.label ? html` <span class="chip">${clip(c.label, 40)}</span>` : raw("")}</a></li>`;
}

/** `/`: every call kept (newest first), and the form that starts an inbound call. */
export function renderListPage(calls: readonly CallSummary[], info: ServerInfo, fixtures: readonly string[]): string {
  const newest = [...calls].reverse();
  const shown = newest.slice(0, MAX_LISTED);
  const live = calls.filter((c) => c.state !== "disconnected").length;
  const form = html`<form class="panel new-call" id="new-call" autocomplete="off"><h2>New inbound call</h2>
<label>App URL <input name="appUrl" type="url" required placeholder="http://127.0.0.1:3000/voice" size="40"></label>
<label>Caller says <select name="audio"><option value="">nothing (silence)</option>${fixtures.map((f) => html`<option value="${f}">${f}</option>`)}</select></label>
<label>DTMF <input name="dtmf" pattern="[0-9*#A-Dw,]*" placeholder="1234#" size="8"></label>
<button type="submit" data-action="new-call">Call the app</button><span class="form-error" id="new-call-error" role="alert"></span></form>`;
  const body = html`${form}<section class="block"><h2>Calls <span class="muted" id="call-count">${calls.length} kept · ${live} live · cap ${info.maxCalls}</span></h2>
<ul class="calls" id="calls" data-stream="/_bwemu/events">${shown.map(callListItem)}</ul>${calls.length > MAX_LISTED ? html`<p class="muted">… ${calls.length - MAX_LISTED} older calls not listed (GET /_bwemu/calls has them all).</p>` : raw("")}</section>`;
  return shell("bwemu serve", body, info);
}

/** The state line of one call (replaced as it changes). */
export function callHeader(c: CallSummary): Raw {
  return html`<div class="call-h"><h2>${c.label ?? `${c.direction} call`}</h2><span class="mono">${c.callId}</span><span class="chip ${stateTone(c)}" id="call-state">${c.state}</span>${c.cause ? html`<span class="chip ${stateTone(c)}">cause ${c.cause}</span>` : raw("")}${c.durationMs !== undefined ? html`<span class="chip">${ms(c.durationMs)}</span>` : raw("")}${c.errorMessage ? html`<span class="chip tone-bad wrap" title="${c.errorMessage}">${clip(c.errorMessage, 160)}</span>` : raw("")}</div>
<p class="muted">${c.from} → ${c.to} · app <span class="mono">${c.appUrl}</span> · started ${c.startTime}</p>`;
}

/** Webhooks and REST requests with status and timing. */
export function exchangesTable(rows: readonly ExchangeRow[]): Raw {
  if (!rows.length) return html`<p class="muted">No webhooks yet.</p>`;
  return html`<table class="exchanges"><thead><tr><th class="n">at</th><th>what</th><th>request</th><th class="n">status</th><th class="n">took</th></tr></thead><tbody>${rows.map((r) => {
    const ok = r.status !== undefined && r.status >= 200 && r.status < 300 && !r.error;
    const href = safeHref(r.url);
    return html`<tr><td class="n mono">${ms(r.atMs)}</td><td>${r.role === "rest-api" ? html`<span class="chip">REST</span>` : raw("")}${r.eventType ?? r.role}${r.attempt > 1 ? html` <span class="chip">attempt ${r.attempt}</span>` : raw("")}${r.fallback ? html` <span class="chip">fallback</span>` : raw("")}</td><td class="mono wrapcell">${r.method} ${href ? html`<span title="${href}">${clip(r.url, 90)}</span>` : clip(r.url, 90)}</td><td class="n ${ok ? "tone-ok" : "tone-bad"}">${r.error ? html`<span title="${r.error}">✗ ${clip(r.error, 60)}</span>` : (r.status ?? "—")}</td><td class="n">${ms(r.durationMs)}</td></tr>`;
  })}</tbody></table>`;
}

/** Every BXML document received, with its diagnostics under their lines. */
export function documentsSection(docs: readonly CallDocument[], links: readonly string[]): Raw {
  if (!docs.length) return html`<p class="muted">No BXML yet.</p>`;
  return html`${docs.map((d, i) => html`${renderBxml(d, i)}<p class="muted"><a href="${links[i]}">raw document ${i + 1}</a></p>`)}`;
}

/** Players for what was said and heard (served by the control API, read when played). */
export function audioSection(files: readonly AudioFile[], ended: boolean): Raw {
  if (!files.length) return html`<p class="muted">No audio yet: it starts with the first prompt, stream or recording.</p>`;
  return html`${ended ? raw("") : html`<p class="muted">The call is live: each player loads what was recorded up to the moment you press play.</p>`}<div class="players">${files.map((f) => html`<div class="player"><div class="who">${f.who}<small class="mono">${f.name}</small></div><audio controls preload="none" src="${f.url}" aria-label="${f.who}"></audio> <a href="${f.url}" download="${f.name}">download</a></div>`)}</div>`;
}

/** Latency per turn, measured at the carrier (end of caller speech → first playAudio). */
export function latencySection(turns: readonly TurnRow[], greetingMs: number | undefined): Raw {
  if (!turns.length && greetingMs === undefined) return html`<p class="muted">No turns measured (the caller has not spoken, or the call used --fast pacing).</p>`;
  const withB = turns.some((t) => t.bridgeOverheadMs !== undefined);
  return html`${greetingMs !== undefined ? html`<p>Greeting: <strong>${ms(greetingMs)}</strong> (stream start → first playAudio)</p>` : raw("")}<table><thead><tr><th class="n">turn</th><th>kind</th><th class="n">latency</th>${withB ? html`<th class="n">bridge adds</th>` : raw("")}<th>note</th></tr></thead><tbody>${turns.map((t) => html`<tr><td class="n">${t.index + 1}</td><td>${t.kind}</td><td class="n">${t.kind === "barge-in" ? ms(t.bargeInMs) : ms(t.turnMs)}</td>${withB ? html`<td class="n">${t.kind === "barge-in" ? "" : ms(t.bridgeOverheadMs)}</td>` : raw("")}<td>${t.note ?? ""}</td></tr>`)}</tbody></table><p class="muted">Turn: end of caller speech → first playAudio of the reply, as the caller hears it. Barge-in: caller speech start → clear.${withB ? " Bridge adds: the turn minus the Realtime stub's own think time (B), known once the call has ended." : ""}</p>`;
}

export interface CallPageView {
  call: CallSummary;
  exchanges: readonly ExchangeRow[];
  documents: readonly CallDocument[];
  documentLinks: readonly string[];
  audio: readonly AudioFile[];
  turns: readonly TurnRow[];
  greetingMs?: number;
  reportUrl: string;
  timelineUrl: string;
  eventsUrl: string;
}

/** A fault the page offers as a button: the control API's kind, the button's text, what it does. */
export interface FaultButton {
  kind: string;
  label: string;
  description: string;
}

/** `/calls/:id`: the call as it happens; sections are filled and kept current by the event stream. */
export function renderCallPage(v: CallPageView, info: ServerInfo, fixtures: readonly string[], faults: readonly FaultButton[]): string {
  const c = v.call;
  const id = encodeURIComponent(c.callId);
  const live = c.state !== "disconnected";
  const controls = html`<div class="panel controls" id="controls" data-call="${c.callId}"${live ? raw("") : raw(" hidden")}>
<form id="dtmf-form" class="inline" autocomplete="off"><label>DTMF <input name="digits" required pattern="[0-9*#A-Dw,]+" placeholder="1#" size="8"></label><button type="submit" data-action="dtmf">Send</button></form>
<form id="audio-form" class="inline"><label>Caller says <select name="audio">${fixtures.map((f) => html`<option value="${f}">${f}</option>`)}</select></label><button type="submit" data-action="audio">Say it</button></form>
<button type="button" data-action="hangup" class="danger">Hang up</button>
<span class="faults">${faults.map((f) => html`<button type="button" data-action="fault" data-fault="${f.kind}" title="${f.description}">${f.label}</button>`)}</span>
<span class="form-error" id="control-error" role="alert"></span></div>`;
  const body = html`<section class="block" id="sec-header">${callHeader(c)}</section>
<p class="links"><a href="${v.reportUrl}" download>Save as report</a> · <a href="${v.timelineUrl}">timeline (JSON lines)</a> · <a href="/_bwemu/calls/${id}">call (JSON)</a></p>
${controls}
<div class="live-grid">
<section class="block panel"><h3>Sequence: carrier ↔ app ↔ model</h3><div class="seq" role="group" aria-label="Sequence of call ${c.callId}" id="seq" data-stream="${v.eventsUrl}">${sequenceHead()}</div><div class="more" id="seq-more" hidden>… later rows not shown (the timeline has them all)</div></section>
<section class="block panel"><h3>Webhooks</h3><div id="sec-exchanges">${exchangesTable(v.exchanges)}</div></section>
<section class="block panel"><h3>Latency per turn</h3><div id="sec-latency">${latencySection(v.turns, v.greetingMs)}</div></section>
<section class="block panel"><h3>Audio</h3><div id="sec-audio">${audioSection(v.audio, !live)}</div></section>
<section class="block panel"><h3>BXML received</h3><div id="sec-docs">${documentsSection(v.documents, v.documentLinks)}</div></section>
</div>`;
  return shell(`bwemu serve: call ${c.callId}`, body, info);
}

/** A call id that is not (or no longer) here. */
export function renderMissingPage(callId: string, info: ServerInfo): string {
  return shell("bwemu serve: unknown call", html`<section class="block panel"><h2>No call ${clip(callId, 80)}</h2><p>It never existed here, or it was dropped: serve keeps the newest ${info.maxCalls} calls. <a href="/">All calls</a></p></section>`, info);
}



export interface CallReportView extends Omit<CallPageView, "audio" | "documentLinks" | "reportUrl" | "timelineUrl" | "eventsUrl"> {
  clips: { who: string; hint: string; kind: "caller" | "returned" | "heard"; clip?: AudioClip }[];
  /** The call's events (media frames summarised) and its start (time zero). */
  events: readonly RecordedEvent[];
  t0Us: number;
  savedAt: string;
}

/** The call's page as one self-contained file (audio as data: URIs, the report's CSP and script): it opens from disk. */
export function renderCallReport(v: CallReportView, info: ServerInfo): string {
  const c = v.call;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bwemu call ${c.callId}</title>
<link rel="icon" href="data:,">
<style>${raw(CSS)}${raw(LIVE_CSS)}</style>
</head><body>
<header class="top"><div class="wrap"><div class="brand"><h1>bwemu call report</h1><div class="sub">saved from bwemu serve at ${info.url} · ${v.savedAt}</div></div></div></header>
<main class="wrap">
<section class="block">${callHeader(c)}</section>
<section class="block panel"><h3>Webhooks</h3>${exchangesTable(v.exchanges)}</section>
<section class="block panel"><h3>Latency per turn</h3>${latencySection(v.turns, v.greetingMs)}</section>
<section class="block panel"><h3>Audio</h3><div class="call-grid">${v.clips.map((a) => renderClip(a.clip, a.who, a.hint, a.kind, c.callId))}</div></section>
<section class="block panel"><h3>BXML received</h3>${v.documents.length ? v.documents.map((d, i) => renderBxml(d, i)) : html`<p class="muted">No BXML.</p>`}</section>
<section class="block panel"><h3>Sequence: carrier ↔ app ↔ model</h3>${renderSequence(v.events, { t0Us: v.t0Us, label: `Sequence of call ${c.callId}` })}</section>
</main>
<script>${raw(REPORT_SCRIPT)}</script>
</body></html>
`.s;
}
