// How timeline events read in the sequence view: which lane sends to which, a one-line label and a
// tone. Lanes are carrier (bwemu playing Bandwidth), bridge (the app under test) and model (the
// Realtime stub). Unknown kinds still render (on their own lane, labelled by kind), so a newer
// recorder never breaks an older report. Stub-lane events follow one convention: `data.direction`
// "in" = bridge → model, "out" = model → bridge, `data.type` = the Realtime event type.

import type { RecordedEvent } from "../model.js";
import { FRAMES_SUMMARY_KIND, gatherRuns } from "../model.js";
import { bytes, clip, ms } from "./escape.js";

export type LaneIdx = 0 | 1 | 2;
export const LANE_NAMES = ["Carrier (bwemu)", "Bridge (app)", "Model (Realtime)"] as const;

export interface EventView {
  from: LaneIdx | "all";
  to: LaneIdx | "all";
  label: string;
  tone: "ok" | "bad" | "warn" | "muted" | "info";
}

type D = Record<string, unknown>;
const s = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

function laneOf(e: RecordedEvent): LaneIdx | "all" {
  return e.lane === "carrier" ? 0 : e.lane === "app" ? 1 : e.lane === "stub" ? 2 : "all";
}

function statusTone(status: unknown, error: unknown): EventView["tone"] {
  if (error) return "bad";
  const st = n(status);
  return st >= 200 && st < 300 ? "ok" : st >= 400 || st === 0 ? "bad" : "warn";
}

export function describe(e: RecordedEvent): EventView {
  const d = (e.data ?? {}) as D;
  const self = laneOf(e);
  switch (e.kind) {
    case "call.created":
      return { from: 0, to: 0, label: `call ${s(d.direction)} ${s(d.from)} → ${s(d.to)}`, tone: "info" };
    case "call.state": {
      const bad = d.cause && !["hangup", "timeout"].includes(s(d.cause));
      return { from: 0, to: 0, label: `call ${s(d.state)}${d.cause ? ` (${s(d.cause)})` : ""}${d.errorMessage ? `: ${s(d.errorMessage)}` : ""}`, tone: bad ? "bad" : "info" };
    }
    case "http.exchange": {
      const out = d.role === "rest-api";
      const what = d.eventType ? s(d.eventType) : s(d.role);
      const res = d.error ? `✗ ${s(d.error)}` : `${s(d.status)}`;
      return { from: out ? 1 : 0, to: out ? 0 : 1, label: `${s(d.method)} ${what} → ${res} · ${ms(n(d.durationUs) / 1000)}${n(d.attempt) > 1 ? ` · attempt ${s(d.attempt)}` : ""}${d.fallback ? " · fallback" : ""}`, tone: statusTone(d.status, d.error) };
    }
    case "webhook.result":
      return { from: 0, to: 1, label: `${s(d.eventType)} → ${d.ok ? s(d.status) : `✗ ${s(d.error ?? d.status)}`}${n(d.attempts) > 1 ? ` · ${s(d.attempts)} attempts` : ""}`, tone: d.ok ? "ok" : "bad" };
    case "bxml.received": {
      const diags = Array.isArray(d.diagnostics) ? (d.diagnostics as { level?: string }[]) : [];
      const errs = diags.filter((x) => x.level === "error").length;
      return { from: 1, to: 0, label: `BXML${d.accepted === false ? " (rejected)" : ""} · ${diags.length} diagnostic${diags.length === 1 ? "" : "s"}`, tone: errs || d.accepted === false ? "bad" : diags.length ? "warn" : "ok" };
    }
    case "verb.start":
      return { from: 0, to: 0, label: `▶ <${s(d.verb)}> line ${s(d.line)}`, tone: "muted" };
    case "verb.end":
      return { from: 0, to: 0, label: `■ <${s(d.verb)}>${d.outcome ? ` ${s(d.outcome)}` : ""}`, tone: "muted" };
    case "stream.connect":
      return { from: 0, to: 1, label: `WebSocket ${s(d.name)} → ${d.ok ? s(d.status ?? "open") : `✗ ${s(d.error ?? d.status)}`}${d.authorization === "basic" ? " · Basic auth" : ""}`, tone: d.ok ? "ok" : "bad" };
    case "ws.frame": {
      const out = d.direction === "out";
      const et = d.eventType ? s(d.eventType) : d.binary ? "binary frame" : `non-JSON “${clip(s(d.text), 40)}”`;
      const extra = d.sequenceNumber ? ` #${s(d.sequenceNumber)}` : "";
      return { from: out ? 0 : 1, to: out ? 1 : 0, label: `${et}${d.track ? ` ${s(d.track)}` : ""}${extra} · ${bytes(n(d.bytes))}`, tone: d.eventType ? "muted" : "warn" };
    }
    case FRAMES_SUMMARY_KIND: {
      const out = d.direction === "out";
      const range = d.firstSequenceNumber ? ` #${s(d.firstSequenceNumber)}–${s(d.lastSequenceNumber)}` : "";
      return { from: out ? 0 : 1, to: out ? 1 : 0, label: `${s(d.eventType)} ×${s(d.count)}${d.track ? ` ${s(d.track)}` : ""}${range} · ${ms(n(d.spanUs) / 1000)} · ${bytes(n(d.bytes))}`, tone: "muted" };
    }
    case "ws.close": {
      const by = s(d.by);
      if (by === "network") return { from: 0, to: 0, label: `connection dropped (${s(d.code)})${d.reason ? ` ${s(d.reason)}` : ""}`, tone: "bad" };
      const clean = [1000, 1001].includes(n(d.code));
      return { from: by === "app" ? 1 : 0, to: by === "app" ? 0 : 1, label: `close ${s(d.code)}${d.reason ? ` “${clip(s(d.reason), 60)}”` : ""}`, tone: clean ? "ok" : "warn" };
    }
    case "audio.queued":
      return { from: 0, to: 0, label: `queued ${ms(n(d.durationMs))}`, tone: "muted" };
    case "audio.play":
      return { from: 0, to: 0, label: `♪ playing ${ms(n(d.durationMs))} to the caller`, tone: "info" };
    case "audio.drained":
      return { from: 0, to: 0, label: `play-out drained after ${ms(n(d.playedMs))}`, tone: "muted" };
    case "audio.cleared":
      return { from: 0, to: 0, label: `clear dropped ${ms(n(d.droppedMs))} unplayed`, tone: "info" };
    case "caller.utterance":
      return { from: 0, to: 0, label: `caller ${d.phase === "start" ? "starts" : "stops"} speaking (utterance ${s(d.index)}${d.bargeIn ? ", barge-in" : ""})`, tone: "info" };
    case "scheduler.lateness":
      return { from: "all", to: "all", label: `scheduler lateness p99 ${ms(n(d.p99Us) / 1000)} over ${s(d.frames)} frames`, tone: "muted" };
    case "finding":
      return { from: self, to: self, label: `${s(d.level)} ${s(d.code)}: ${s(d.message)}`, tone: d.level === "error" ? "bad" : d.level === "warning" ? "warn" : "info" };
    case "note":
      return { from: "all", to: "all", label: s(d.message), tone: "muted" };
  }
  const type = s(d.type ?? d.eventType ?? d.event ?? "");
  const label = type ? `${type}${d.bytes !== undefined ? ` · ${bytes(n(d.bytes))}` : ""}` : e.kind;
  const tone: EventView["tone"] = /error|fail/i.test(type) ? "bad" : "muted";
  if (e.lane === "stub" && (d.direction === "in" || d.direction === "out")) {
    return d.direction === "in" ? { from: 1, to: 2, label, tone } : { from: 2, to: 1, label, tone };
  }
  return { from: self, to: self, label: type ? label : `${e.kind}`, tone };
}

/** High-volume events that are collapsed into one row per run between other events. */
export function bulkKey(e: RecordedEvent): string | null {
  const d = (e.data ?? {}) as D;
  if (e.kind === "ws.frame" && (d.eventType === "media" || d.eventType === "playAudio")) return `ws|${s(d.streamId)}|${s(d.direction)}|${s(d.track)}|${s(d.eventType)}`;
  if (e.kind === FRAMES_SUMMARY_KIND) return `ws|${s(d.streamId)}|${s(d.direction)}|${s(d.track)}|${s(d.eventType)}`;
  if (e.kind === "audio.queued") return `q|${s(d.streamId)}`;
  if (e.lane === "stub" && typeof d.type === "string" && /\.(append|delta)$/.test(d.type)) return `stub|${s(d.direction)}|${d.type}`;
  return null;
}

export type Row = { type: "event"; e: RecordedEvent } | { type: "bulk"; first: RecordedEvent; last: RecordedEvent; count: number; bytes: number; view: EventView };

/** Collapse bulk events between significant ones into one row per kind of traffic. */
export function collapse(events: readonly RecordedEvent[]): Row[] {
  const rows: Row[] = [];
  const flush = (runs: Iterable<RecordedEvent[]>) => {
    const pending: Row[] = [];
    for (const run of runs) {
      if (run.length === 1 && run[0].kind !== FRAMES_SUMMARY_KIND) {
        pending.push({ type: "event", e: run[0] });
        continue;
      }
      const first = run[0];
      const last = run[run.length - 1];
      const count = run.reduce((a, e) => a + (e.kind === FRAMES_SUMMARY_KIND ? n((e.data as D).count) : 1), 0);
      const total = run.reduce((a, e) => a + n((e.data as D).bytes), 0);
      const lastEnd = last.t + (last.kind === FRAMES_SUMMARY_KIND ? n((last.data as D).spanUs) : 0);
      const base = describe(first);
      const d = first.data as D;
      const what = first.kind === "audio.queued" ? "audio queued" : s(d.type ?? d.eventType ?? first.kind);
      const dl = last.data as D;
      const firstSn = s(d.firstSequenceNumber ?? d.sequenceNumber);
      const lastSn = s(dl.lastSequenceNumber ?? dl.sequenceNumber);
      const range = firstSn && lastSn ? ` #${firstSn}–${lastSn}` : "";
      const label = `${what} ×${count}${d.track ? ` ${s(d.track)}` : ""}${range} · ${ms((lastEnd - first.t) / 1000)}${total ? ` · ${bytes(total)}` : ""}`;
      pending.push({ type: "bulk", first, last, count, bytes: total, view: { ...base, label, tone: "muted" } });
    }
    pending.sort((a, b) => (a.type === "event" ? a.e.seq : a.first.seq) - (b.type === "event" ? b.e.seq : b.first.seq));
    rows.push(...pending);
  };
  gatherRuns(events, { key: bulkKey, single: (e) => rows.push({ type: "event", e }), flush });
  return rows;
}
