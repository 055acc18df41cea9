// What the live page and the event streams see of the carrier: page views built from a call and its
// events, and the subscribers. A call gets a live view (its sequence rows, webhooks, documents) only
// while a page watches it; bulk traffic is sent at most four times a second. Subscribers are
// SseStreams, so one that stops reading is dropped instead of buffering without bound.

import type http from "node:http";
import type { Call } from "../../emulator/call/call.js";
import type { Carrier } from "../../emulator/call/carrier.js";
import { isoTime } from "../../emulator/clock.js";
import { computeCallLatency, type StubTurnLike } from "../../emulator/latency/index.js";
import { writeWav } from "../../emulator/media/wav.js";
import { isMediaEvent, type TimelineEvent, type TimelineEventMap } from "../../emulator/timeline.js";
import type { AudioClip, CallDocument, RecordedEvent } from "../../reports/model.js";
import { summariseFrames } from "../../reports/model.js";
import {
  audioSection,
  callHeader,
  callListItem,
  documentsSection,
  exchangesTable,
  latencySection,
  PAGE_HEADERS,
  renderCallPage,
  type FaultButton,
  renderCallReport,
  renderListPage,
  renderMissingPage,
  type AudioFile,
  type CallSummary,
  type ExchangeRow,
  type ServerInfo,
  type TurnRow,
} from "../../reports/live/page.js";
import { LiveSequence } from "../../reports/live/sequence.js";
import { StubMatcher, type StubLike } from "../load/stub-turns.js";
import { FAULTS, FIXTURE_SPEECH } from "./control.js";
import { SseStream, type SseOptions } from "./sse.js";

/** The faults the call page offers as buttons, from the control API's table. */
export const FAULT_BUTTONS: readonly FaultButton[] = Object.entries(FAULTS).flatMap(([kind, f]) => ("button" in f ? [{ kind, label: f.button, description: f.description }] : []));

/** What the views need from the server. */
export interface PageContext {
  readonly carrier: Carrier;
  readonly url: string;
  readonly maxCalls: number;
  readonly realtime?: string;
  /** The Realtime stub the bridges talk to, when bwemu runs it: each ended call's turns get B from its session. */
  readonly stub?: StubLike;
  wavNames(c: Call): string[];
}

interface PageReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A watched call: its rows, webhooks and documents so far, and who watches. */
interface Watched {
  call: Call;
  seq: LiveSequence;
  events: RecordedEvent[];
  exchanges: ExchangeRow[];
  documents: CallDocument[];
  html: Set<SseStream>;
  raw: Set<SseStream>;
  dirty: Set<"exchanges" | "latency" | "audio" | "docs">;
  cutSent: boolean;
}

const FLUSH_MS = 250;
const AUDIO_WHO: Record<string, string> = { "caller.wav": "Caller (what the caller said)", "heard.wav": "Heard (what the caller heard)" };

export class LiveViews {
  private readonly lists = new Set<SseStream>();
  private readonly watched = new Map<string, Watched>();
  private readonly timer: NodeJS.Timeout;
  /** Kept calls' first stream connect (µs), and the stub's turns of ended calls matched to a session. */
  private readonly connects = new Map<string, number>();
  private readonly stubTurns = new Map<string, readonly StubTurnLike[]>();
  private readonly matcher?: StubMatcher;

  constructor(
    private readonly ctx: PageContext,
    private readonly sse: SseOptions,
  ) {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
    if (ctx.stub) this.matcher = new StubMatcher(ctx.stub);
  }

  private get info(): ServerInfo {
    const s = this.ctx.carrier.settings;
    return { url: this.ctx.url, apiBaseUrl: s.apiBaseUrl, accountId: s.accountId, realtime: this.ctx.realtime, maxCalls: this.ctx.maxCalls };
  }

  // ---------- pages ----------

  listPage(): PageReply {
    return { status: 200, headers: PAGE_HEADERS, body: renderListPage([...this.ctx.carrier.calls.values()].map(summary), this.info, FIXTURE_SPEECH) };
  }

  callPage(call: Call): PageReply {
    const w = this.view(call);
    const base = `/_bwemu/calls/${encodeURIComponent(call.id)}`;
    const lat = this.latency(w);
    const body = renderCallPage(
      {
        call: summary(call),
        exchanges: w.exchanges,
        documents: w.documents,
        documentLinks: w.documents.map((_d, i) => `${base}/bxml/${i + 1}`),
        audio: this.audioFiles(call),
        turns: lat.turns,
        greetingMs: lat.greetingMs,
        reportUrl: `${base}/report.html`,
        timelineUrl: `${base}/timeline`,
        eventsUrl: `${base}/events?format=html`,
      },
      this.info,
      FIXTURE_SPEECH,
      FAULT_BUTTONS,
    );
    this.release(w);
    return { status: 200, headers: PAGE_HEADERS, body };
  }

  missingPage(id: string): PageReply {
    return { status: 404, headers: PAGE_HEADERS, body: renderMissingPage(id, this.info) };
  }

  /** The call's page as one self-contained file. */
  report(call: Call): string {
    const w = this.view(call);
    const lat = this.latency(w);
    const clip = (pcm: Int16Array | undefined): AudioClip | undefined =>
      pcm && pcm.length ? { wavBase64: Buffer.from(writeWav(pcm.subarray(0, 8000 * 300), 8000)).toString("base64"), sampleRate: 8000, durationMs: Math.round(pcm.length / 8) } : undefined;
    const body = renderCallReport(
      {
        call: summary(call),
        exchanges: w.exchanges,
        documents: w.documents,
        turns: lat.turns,
        greetingMs: lat.greetingMs,
        clips: [
          { who: "Caller", hint: "what the caller said", kind: "caller", clip: clip(call.audio?.inboundPcm()) },
          { who: "Returned", hint: "the app's playAudio, all of it", kind: "returned", clip: clip(call.streamRecords[0]?.playedPcm) },
          { who: "Heard", hint: "what the caller heard", kind: "heard", clip: clip(call.audio?.outboundPcm()) },
        ],
        events: summariseFrames(w.events),
        t0Us: call.startedUs,
        savedAt: new Date().toISOString(),
      },
      this.info,
    );
    this.release(w);
    return body;
  }

  private audioFiles(call: Call): AudioFile[] {
    const base = `/_bwemu/calls/${encodeURIComponent(call.id)}/files`;
    return this.ctx.wavNames(call).map((name) => ({ name, url: `${base}/${name}`, who: AUDIO_WHO[name] ?? (name.startsWith("recording-") ? "Recording" : name.endsWith("-played.wav") ? "App reply (played)" : "Stream inbound") }));
  }

  // ---------- subscribers ----------

  subscribeList(_req: http.IncomingMessage, res: http.ServerResponse): void {
    const s = new SseStream(res, this.sse);
    this.lists.add(s);
    res.on("close", () => this.lists.delete(s));
    // The page was rendered before this subscription: calls that changed since are sent now
    // (the live ones and those ended within a minute; older ones cannot have changed).
    const since = Date.now() - 60_000;
    for (const c of this.ctx.carrier.calls.values()) if (!c.endWall || c.endWall.getTime() >= since) this.listChanged(c.id, s);
  }

  subscribeCall(call: Call, _req: http.IncomingMessage, res: http.ServerResponse, asHtml: boolean): void {
    const w = this.view(call);
    const s = new SseStream(res, this.sse);
    (asHtml ? w.html : w.raw).add(s);
    res.on("close", () => {
      w.html.delete(s);
      w.raw.delete(s);
      this.release(w);
    });
    if (asHtml) {
      s.send("rows", { rows: w.seq.snapshot(), cut: w.seq.cut });
      // The page was rendered before this subscription: a state change in between is sent now.
      s.send("section", { id: "sec-header", html: callHeader(summary(call)).s });
      this.sendSections(w, new Set(["exchanges", "latency", "audio", "docs"]), s);
      if (call.ended) s.send("ended", {});
    } else for (const e of w.events) if (!isMediaEvent(e.kind, e.data)) s.send("timeline", e);
  }

  /** Every timeline event of the carrier. */
  event(e: TimelineEvent): void {
    if (e.callId === undefined) return;
    if (e.kind === "call.created" || e.kind === "call.state") this.listChanged(e.callId);
    if (e.kind === "stream.connect" && !this.connects.has(e.callId)) this.connects.set(e.callId, e.t);
    if (e.kind === "call.state" && (e.data as { state: string }).state === "disconnected") this.matchStub(e.callId, e.t);
    const w = this.watched.get(e.callId);
    if (!w) return;
    this.feed(w, e);
    for (const u of w.seq.push(e)) for (const s of w.html) s.send("row", u);
    if (!w.cutSent && w.seq.cut) {
      w.cutSent = true;
      for (const s of w.html) s.send("cut", {});
    }
    if (!isMediaEvent(e.kind, e.data)) for (const s of w.raw) s.send("timeline", e);
    if (e.kind === "call.state") {
      for (const s of w.html) s.send("section", { id: "sec-header", html: callHeader(summary(w.call)).s });
      if ((e.data as { state: string }).state === "disconnected") {
        w.dirty.add("audio").add("latency");
        for (const s of w.html) s.send("ended", {});
      }
    }
  }

  /** The call was dropped (cap): its watchers are told and let go. */
  forget(id: string): void {
    this.connects.delete(id);
    this.stubTurns.delete(id);
    const w = this.watched.get(id);
    if (!w) return;
    for (const s of [...w.html, ...w.raw]) {
      s.send("dropped", { reason: `call ${id} was dropped (the oldest ended calls go first beyond the cap of ${this.ctx.maxCalls})` });
      s.close();
    }
    this.watched.delete(id);
  }

  close(): void {
    clearInterval(this.timer);
    this.matcher?.close();
    for (const s of this.lists) s.close();
    for (const w of this.watched.values()) for (const s of [...w.html, ...w.raw]) s.close();
    this.lists.clear();
    this.watched.clear();
  }

  // ---------- internals ----------

  /** The stub session that served an ended call (batched lookups): its turns give each turn's B. */
  private matchStub(callId: string, endedUs: number): void {
    const connectUs = this.connects.get(callId);
    if (!this.matcher || connectUs === undefined) return;
    void this.matcher.lookup({ callId, connectUs, endedUs }).then((turns) => {
      if (!turns || !this.ctx.carrier.calls.has(callId)) return;
      this.stubTurns.set(callId, turns);
      this.watched.get(callId)?.dirty.add("latency");
    });
  }

  private latency(w: Watched): { turns: TurnRow[]; greetingMs?: number } {
    return latency(w.events, w.call.id, this.stubTurns.get(w.call.id));
  }

  /** The call's live view, built from its events so far on first use. */
  private view(call: Call): Watched {
    let w = this.watched.get(call.id);
    if (w) return w;
    w = { call, seq: new LiveSequence(call.startedUs, "r"), events: [], exchanges: [], documents: [], html: new Set(), raw: new Set(), dirty: new Set(), cutSent: false };
    for (const e of this.ctx.carrier.timeline.events) {
      if (e.callId !== call.id) continue;
      this.feed(w, e);
      w.seq.push(e);
    }
    w.dirty.clear();
    this.watched.set(call.id, w);
    return w;
  }

  /** A view nobody watches is let go (a page render builds one and drops it). */
  private release(w: Watched): void {
    if (w.html.size === 0 && w.raw.size === 0) this.watched.delete(w.call.id);
  }

  private feed(w: Watched, e: TimelineEvent): void {
    w.events.push(e as RecordedEvent);
    if (e.kind === "http.exchange") {
      const d = e.data as TimelineEventMap["http.exchange"];
      if (d.role === "webhook" || d.role === "rest-api") {
        w.exchanges.push({ atMs: (e.t - w.call.startedUs) / 1000, role: d.role, eventType: d.eventType, method: d.method, url: d.url, status: d.status, durationMs: d.durationUs / 1000, attempt: d.attempt, fallback: d.fallback, error: d.error });
        w.dirty.add("exchanges");
      }
    } else if (e.kind === "bxml.received") {
      const d = e.data as TimelineEventMap["bxml.received"];
      w.documents.push({ url: d.url, text: d.text, diagnostics: d.diagnostics });
      w.dirty.add("docs");
    } else if (e.kind === "caller.utterance" || e.kind === "audio.play" || e.kind === "audio.cleared") w.dirty.add("latency");
    else if (e.kind === "stream.connect") w.dirty.add("audio");
  }

  private flush(): void {
    for (const w of this.watched.values()) {
      if (!w.html.size) continue;
      for (const u of w.seq.flush()) for (const s of w.html) s.send("row", u);
      if (w.dirty.size) {
        const parts = new Set(w.dirty);
        w.dirty.clear();
        this.sendSections(w, parts);
      }
    }
  }

  private sendSections(w: Watched, parts: Set<string>, only?: SseStream): void {
    const to = only ? [only] : [...w.html];
    const base = `/_bwemu/calls/${encodeURIComponent(w.call.id)}`;
    const out: { id: string; html: string }[] = [];
    if (parts.has("exchanges")) out.push({ id: "sec-exchanges", html: exchangesTable(w.exchanges).s });
    if (parts.has("docs")) out.push({ id: "sec-docs", html: documentsSection(w.documents, w.documents.map((_d, i) => `${base}/bxml/${i + 1}`)).s });
    if (parts.has("audio")) out.push({ id: "sec-audio", html: audioSection(this.audioFiles(w.call), w.call.ended).s });
    if (parts.has("latency")) {
      const lat = this.latency(w);
      out.push({ id: "sec-latency", html: latencySection(lat.turns, lat.greetingMs).s });
    }
    for (const s of to) for (const o of out) s.send("section", o);
  }

  private listChanged(id: string, only?: SseStream): void {
    if (!this.lists.size) return;
    const call = this.ctx.carrier.calls.get(id);
    if (!call) return;
    const all = [...this.ctx.carrier.calls.values()];
    const live = all.filter((c) => !c.ended).length;
    const msg = { id: `li-${id}`, html: callListItem(summary(call)).s, count: `${all.length} kept · ${live} live · cap ${this.ctx.maxCalls}` };
    for (const s of only ? [only] : this.lists) s.send("call", msg);
  }
}

/** The call as the list and the control API show it. */
export function summary(c: Call): CallSummary {
  return {
    callId: c.id,
    direction: c.direction,
    state: c.state,
    from: c.from,
    to: c.to,
    appUrl: c.options.appUrl,
    label: c.label,
    startTime: isoTime(c.startWall),
    durationMs: c.endWall ? Math.round((c.endWall.getTime() - c.startWall.getTime())) : undefined,
    cause: c.endWall ? c.end?.cause : undefined,
    errorMessage: c.endWall ? c.end?.errorMessage : undefined,
  };
}

function latency(events: readonly RecordedEvent[], callId: string, stub?: readonly StubTurnLike[]): { turns: TurnRow[]; greetingMs?: number } {
  const lat = computeCallLatency(events as TimelineEvent[], callId, stub);
  const b = stub !== undefined && lat.stub.valid;
  return {
    greetingMs: lat.greetingMs,
    turns: lat.turns.map((t) => ({ index: t.index, kind: t.kind, turnMs: t.turnMs, bargeInMs: t.bargeInMs, bridgeOverheadMs: b ? t.bridgeOverheadMs : undefined, note: t.failure ?? t.harnessError ?? t.unmeasured })),
  };
}
