// Direct mode: the emulator itself relays a call's audio to a Realtime endpoint, with no bridge, the
// way Bandwidth's native OpenAI integration does (issue 4 "Direct mode"). It is a `StreamPort` of
// the call's media clock (emulator/stream/call-audio.ts): each tick's caller frame is appended as
// μ-law, reply deltas go into a play-out queue the clock drains at real time, and barge-in clears the
// queue and truncates at exactly what was played (the carrier knows, a bridge must estimate).
// Its turn latency is the baseline a bridge's overhead is compared with.

import WebSocket from "ws";
import "./events.js";
import type { Clock } from "../clock.js";
import { realClock } from "../clock.js";
import type { Timeline } from "../timeline.js";
import type { StreamPort, TickFrame } from "../stream/call-audio.js";
import { PlayoutBuffer } from "../stream/playout.js";
import { receivedAt } from "../stream/read-stamp.js";
import { decodeMulaw, encodeMulaw } from "../media/mulaw.js";
import { resample } from "../media/resample.js";

export interface DirectSessionOptions {
  callId: string;
  timeline: Timeline;
  /** Realtime WebSocket URL (the stub's, or wss://api.openai.com/v1/realtime); `model` added when absent. */
  realtimeUrl: string;
  /** `Authorization: Bearer …` when set; never recorded. */
  apiKey?: string;
  /** More upgrade headers (e.g. marking a calibration session so a run can tell it from a bridge's). */
  headers?: Record<string, string>;
  model?: string;
  instructions?: string;
  voice?: string;
  greeting?: boolean;
  clock?: Clock;
  /** Play-out queue cap, ms (default 5 min). */
  maxQueueMs?: number;
  /** Upstream not open within this long → error + close. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** The media clock calls this when reply audio is accepted (CallAudio.notePlayAudio); `speech`: it was not silence. */
  onPlayAudio?: (speech: boolean) => void;
}

let nextId = 1;

/**
 * One tick's caller audio as an `input_audio_buffer.append` payload (base64 μ-law 8 kHz): PCMU frames
 * as they are; L16 16 kHz frames resampled on their own (no look-ahead, so no audio moves into the next
 * append) and μ-law-encoded.
 */
export function appendAudio(f: TickFrame): string {
  if (f.inboundPcm.length === 160) return f.payload("inbound");
  return Buffer.from(encodeMulaw(resample(f.inboundPcm, (f.inboundPcm.length * 1000) / 20, 8000))).toString("base64");
}

export class DirectRealtimePort implements StreamPort {
  readonly streamId: string;
  readonly bidirectional = true;
  /** Resolves when the upstream session has ended (closed or failed). */
  readonly closed: Promise<void>;
  private readonly ws: WebSocket;
  private readonly queue: PlayoutBuffer;
  private readonly clock: Clock;
  private readonly url: string;
  /** The assistant item being played: its first sample's position in the queue's input, and its length. */
  private item?: { id: string; startIndex: number; samples: number };
  private readonly interrupted = new Set<string>();
  private connectTimer?: NodeJS.Timeout;
  /** When the socket's last read happened (stream/read-stamp.ts); set once open. */
  private receivedAt: () => number = () => this.clock.nowUs();

  constructor(private readonly o: DirectSessionOptions) {
    this.streamId = `direct-${nextId++}`;
    this.clock = o.clock ?? realClock;
    this.queue = new PlayoutBuffer(((o.maxQueueMs ?? 300_000) * 8000) / 1000, 8000);
    const url = new URL(o.realtimeUrl);
    if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new Error(`realtimeUrl must be ws:// or wss://, got ${url.protocol}`);
    if (!url.searchParams.has("model")) url.searchParams.set("model", o.model ?? "gpt-realtime");
    this.url = url.toString();
    this.note("connect");
    this.ws = new WebSocket(url, { headers: { ...o.headers, ...(o.apiKey ? { Authorization: `Bearer ${o.apiKey}` } : {}) }, maxPayload: 16 * 1024 * 1024 });
    this.closed = new Promise((resolve) => this.ws.once("close", () => resolve()));
    this.connectTimer = setTimeout(() => {
      if (this.ws.readyState === WebSocket.CONNECTING) {
        this.note("error", { error: "connect timeout" });
        this.ws.terminate();
      }
    }, o.connectTimeoutMs ?? 10_000);
    this.ws.on("open", () => this.onOpen());
    this.ws.on("message", (d) => this.onEvent(d as Buffer));
    this.ws.on("unexpected-response", (_req, res) => {
      this.note("error", { error: `upgrade refused: HTTP ${res.statusCode}` });
      res.resume();
      this.ws.terminate();
    });
    this.ws.on("error", (e) => this.note("error", { error: e.message }));
    this.ws.on("close", (code) => {
      clearTimeout(this.connectTimer);
      this.note("close", { code });
    });
  }

  private note(phase: "connect" | "open" | "close" | "error", extra: { code?: number; error?: string } = {}): void {
    this.o.timeline.append("direct.session", { streamId: this.streamId, phase, url: this.url, ...extra }, { callId: this.o.callId, lane: "carrier" });
  }

  private send(ev: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(ev));
  }

  private onOpen(): void {
    clearTimeout(this.connectTimer);
    this.receivedAt = receivedAt(this.ws, this.clock);
    this.note("open");
    this.send({
      type: "session.update",
      session: {
        type: "realtime",
        model: this.o.model ?? "gpt-realtime",
        output_modalities: ["audio"],
        audio: {
          input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad" } },
          output: { format: { type: "audio/pcmu" }, voice: this.o.voice ?? "alloy" },
        },
        instructions: this.o.instructions ?? "You are a helpful voice assistant on a phone call.",
      },
    });
    if (this.o.greeting) {
      this.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "Greet the caller briefly." }] } });
      this.send({ type: "response.create" });
    }
  }

  private onEvent(data: Buffer): void {
    const t = this.receivedAt(); // §12.3.1 "receives": stamped on the read, before any decoding
    let ev: { type?: unknown; delta?: unknown; item_id?: unknown };
    try {
      ev = JSON.parse(data.toString("utf8"));
    } catch {
      return;
    }
    if (ev.type === "response.output_audio.delta" && typeof ev.delta === "string") {
      const itemId = typeof ev.item_id === "string" ? ev.item_id : "";
      if (this.interrupted.has(itemId)) return;
      const bytes = Buffer.from(ev.delta, "base64");
      const pcm = decodeMulaw(bytes);
      if (!this.item || this.item.id !== itemId) this.item = { id: itemId, startIndex: this.queue.totalAccepted, samples: 0 };
      const r = this.queue.enqueue(pcm);
      this.item.samples += r.accepted;
      this.o.timeline.append(
        "direct.audio",
        { streamId: this.streamId, event: "delta", itemId, bytes: bytes.length, durationMs: bytes.length / 8 },
        { callId: this.o.callId, lane: "carrier", t },
      );
      this.o.onPlayAudio?.(r.speech);
    } else if (ev.type === "input_audio_buffer.speech_started") {
      this.bargeIn();
    }
  }

  /** Caller speech over the reply: drop what has not played, truncate at what has (exact here). */
  private bargeIn(): void {
    const droppedMs = this.queue.queuedMs;
    const item = this.item;
    this.item = undefined;
    if (droppedMs === 0) return; // nothing playing: nothing to stop, nothing to truncate
    // Exact: the samples of this item the media clock has taken (positions in the queue's input
    // stream; everything cleared earlier lies before the item's start).
    const consumed = this.queue.totalPlayed + this.queue.totalCleared;
    this.queue.clear();
    this.o.timeline.append("direct.audio", { streamId: this.streamId, event: "clear", droppedMs }, { callId: this.o.callId, lane: "carrier" });
    if (!item) return;
    this.interrupted.add(item.id);
    const audioEndMs = Math.floor(Math.min(Math.max(consumed - item.startIndex, 0), item.samples) / 8);
    this.send({ type: "conversation.item.truncate", item_id: item.id, content_index: 0, audio_end_ms: audioEndMs });
    this.o.timeline.append("direct.truncate", { streamId: this.streamId, itemId: item.id, audioEndMs }, { callId: this.o.callId, lane: "carrier" });
  }

  // ---- StreamPort ------------------------------------------------------------------------------

  sendFrame(f: TickFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio: appendAudio(f) }));
  }

  takePlayout(n: number): Int16Array | null {
    return this.queue.take(n)?.pcm ?? null;
  }

  queuedMs(): number {
    return this.queue.queuedMs;
  }

  queuedSpeechMs(): number {
    return this.queue.queuedSpeechMs;
  }

  ready(): boolean {
    return this.ws.readyState !== WebSocket.OPEN || this.ws.bufferedAmount < 1024 * 1024;
  }

  /** End the session (the call ended). */
  close(): Promise<void> {
    clearTimeout(this.connectTimer);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, "call ended");
    else if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    const t = setTimeout(() => this.ws.terminate(), 2000);
    t.unref();
    return this.closed.then(() => clearTimeout(t));
  }
}

/** Connect a call's media clock straight to a Realtime endpoint; `close()` ends it and detaches. */
export function attachDirect(
  audio: { attach(s: StreamPort): void; detach(s: StreamPort): void; notePlayAudio(s: StreamPort, speech: boolean): void },
  opts: Omit<DirectSessionOptions, "onPlayAudio">,
): DirectRealtimePort {
  const port: DirectRealtimePort = new DirectRealtimePort({ ...opts, onPlayAudio: (speech) => audio.notePlayAudio(port, speech) });
  audio.attach(port);
  void port.closed.then(() => audio.detach(port));
  return port;
}
