// One response, from `response.created` to `response.done` (spec §7.5, §8.1 steps 6–16, §8.2 beta,
// §8.3 cancellation, §8.5 function calls, §8.6 text). The session decides *when* a response starts and
// with which scripted turn; this file decides the exact event sequence and its pacing.
//
// Timing (§5.3, §12.3.3): `response.created` goes out at once; after the scripted think time
// (`responseDelayMs`) the output item, content part and the first transcript + audio deltas go out
// together; further deltas follow in a burst (default) or at real-time × factor. Cancellation at any
// point sends the closing `.done` events of what was started, then `response.done` `cancelled`.

import {
  BETA_FORMAT, GA_FORMAT, SERVER_NAMES, type ServerNames, type AudioFormatName, type Dialect, type RealtimeItem, type RealtimeResponse,
} from "../protocol/realtime.js";
import type { ConvItem } from "./conversation.js";
import type { IdGenerator } from "./ids.js";
import type { StubTurn } from "./record.js";
import type { ResolvedPacing, ResolvedTurn } from "./script.js";
import { bytesFor, msOf } from "./audio.js";

export interface ResponseHost {
  dialect: Dialect;
  ids: IdGenerator;
  obfuscation: boolean;
  nowUs(): number;
  /** Returns the instant the frame was handed to the transport. */
  emit(ev: Record<string, unknown>): number;
  /** Run `fn` after `ms` on the session clock (synchronously when ms is 0); returns a canceller. */
  after(ms: number, fn: () => void): () => void;
  /** Add an item at the end of the default conversation; returns its previous item id. */
  addItem(ci: ConvItem): string | null;
  conversationId: string;
  /** Input token counts for synthetic usage (§5.2). */
  inputTokens(): { text: number; audio: number };
  /** Called once, after `response.done` (and `rate_limits.updated`). */
  finished(run: ResponseRun): void;
  /** Called on each audio delta (turn stamps). */
  audioSent(run: ResponseRun, bytes: number, chunk?: Uint8Array): void;
  rateLimits(totalTokens: number): Record<string, unknown>[];
}

export interface ResponsePlan {
  turnScript: ResolvedTurn;
  /** Encoded reply audio in `format` (empty for text-only or audio `none`). */
  audio: Uint8Array;
  format: AudioFormatName;
  modalities: ("audio" | "text")[];
  voice: string | { id: string };
  maxOutputTokens: number | "inf";
  metadata: Record<string, string> | null;
  conversation: "auto" | "none";
  omitCreated: boolean;
  turn?: StubTurn;
}

type Phase = "thinking" | "message" | "call" | "done";

const words = (t: string): string[] => t.split(/\s+/).filter(Boolean).map((w, i) => (i ? ` ${w}` : w));

export class ResponseRun {
  readonly id: string;
  status: RealtimeResponse["status"] = "in_progress";
  private phase: Phase = "thinking";
  private readonly output: RealtimeItem[] = [];
  private readonly cancels: (() => void)[] = [];
  private msg?: { item: RealtimeItem; ci: ConvItem; sentWords: string[]; sentBytes: number; index: number; text: boolean };
  audioBytesSent = 0;
  firstAudioUs?: number;
  private readonly names: ServerNames;

  constructor(private readonly host: ResponseHost, readonly plan: ResponsePlan) {
    this.id = host.ids.next("resp");
    this.names = SERVER_NAMES[host.dialect];
  }

  get active(): boolean {
    return this.phase !== "done";
  }

  /** The assistant message item of this response, once it exists. */
  get messageItemId(): string | undefined {
    return this.msg?.item.id;
  }

  get inConversation(): boolean {
    return this.plan.conversation === "auto";
  }

  /** Audio duration of the reply (ms), for the playback estimate used by barge-in classification. */
  get audioMs(): number {
    return msOf(this.plan.audio.length, this.plan.format);
  }

  private responseObject(usage: Record<string, unknown> | null): RealtimeResponse {
    const p = this.plan;
    const ga = this.host.dialect === "ga";
    const fmt = ga ? { ...GA_FORMAT[p.format] } : BETA_FORMAT[p.format];
    const statusDetails =
      this.status === "completed" || this.status === "in_progress" ? null : { type: this.status, reason: this.cancelReason };
    const base: RealtimeResponse = {
      object: "realtime.response",
      id: this.id,
      status: this.status,
      status_details: statusDetails,
      output: this.output.map((o) => structuredClone(o)),
      conversation_id: p.conversation === "auto" ? this.host.conversationId : null,
      usage,
      metadata: p.metadata,
    };
    if (ga) Object.assign(base, { output_modalities: p.modalities, max_output_tokens: p.maxOutputTokens, audio: { output: { format: fmt, voice: p.voice } } });
    else Object.assign(base, { modalities: p.modalities, voice: p.voice, output_audio_format: fmt, temperature: 0.8, max_output_tokens: p.maxOutputTokens });
    return base;
  }

  private cancelReason?: "turn_detected" | "client_cancelled";

  start(): void {
    if (!this.plan.omitCreated) {
      this.host.emit({ type: "response.created", response: this.responseObject(null) });
      // Beta logs show rate_limits.updated right after response.created (§8.2).
      if (this.host.dialect === "beta") this.host.emit({ type: "rate_limits.updated", rate_limits: this.host.rateLimits(0) });
    }
    this.cancels.push(this.host.after(this.plan.turnScript.responseDelayMs, () => this.beginOutput()));
  }

  private hasMessage(): boolean {
    const t = this.plan.turnScript;
    const textOnly = !this.plan.modalities.includes("audio");
    if (textOnly) return t.transcript.length > 0 || !t.functionCall;
    return this.plan.audio.length > 0 || t.transcript.length > 0 || !t.functionCall;
  }

  private beginOutput(): void {
    if (this.phase !== "thinking") return;
    if (this.hasMessage()) this.startMessage();
    else this.startCall();
  }

  private emitItemAdded(ci: ConvItem, index: number): void {
    this.host.emit({ type: "response.output_item.added", response_id: this.id, output_index: index, item: structuredClone(ci.item) });
    if (!this.inConversation) return;
    const prev = this.host.addItem(ci);
    this.prevIds.set(ci.item.id, prev);
    if (this.host.dialect === "ga") this.host.emit({ type: "conversation.item.added", previous_item_id: prev, item: structuredClone(ci.item) });
    else this.host.emit({ type: "conversation.item.created", previous_item_id: prev, item: structuredClone(ci.item) });
  }

  private emitItemDone(ci: ConvItem, index: number): void {
    this.host.emit({ type: "response.output_item.done", response_id: this.id, output_index: index, item: structuredClone(ci.item) });
    // GA only: conversation.item.done (§8.1 step 14); beta has no such event (§8.2).
    if (this.inConversation && this.host.dialect === "ga") {
      const prev = this.prevOf(ci);
      this.host.emit({ type: "conversation.item.done", previous_item_id: prev, item: structuredClone(ci.item) });
    }
  }

  private prevOf(ci: ConvItem): string | null {
    return this.prevIds.get(ci.item.id) ?? null;
  }
  private readonly prevIds = new Map<string, string | null>();

  private startMessage(): void {
    this.phase = "message";
    const text = !this.plan.modalities.includes("audio");
    const item: RealtimeItem = { id: this.host.ids.next("item"), type: "message", status: "in_progress", role: "assistant", content: [] };
    if (this.host.dialect === "beta") item.object = "realtime.item";
    const ci: ConvItem = { item, audio: text ? undefined : { format: this.plan.format, chunks: [], bytes: 0 } };
    const index = this.output.length;
    this.msg = { item, ci, sentWords: [], sentBytes: 0, index, text };
    this.output.push(item);
    this.emitItemAdded(ci, index);
    const common = { response_id: this.id, item_id: item.id, output_index: index, content_index: 0 };
    this.host.emit({ type: "response.content_part.added", ...common, part: text ? { type: "text", text: "" } : { type: "audio", transcript: "" } });

    const w = words(this.plan.turnScript.transcript);
    if (text) {
      for (const x of w) this.textDelta(x);
      this.finishMessage("completed");
      return;
    }
    const step = Math.max(this.plan.format === "pcm16" ? 2 : 1, bytesFor(this.plan.turnScript.deltaMs, this.plan.format));
    const audio = this.plan.audio;
    const n = Math.ceil(audio.length / step);
    const sendDelta = (i: number) => {
      if (this.phase !== "message") return;
      if (i < w.length) this.textDelta(w[i]);
      this.audioDelta(audio.subarray(i * step, Math.min(audio.length, (i + 1) * step)));
      if (i === n - 1) {
        for (let k = n; k < w.length; k++) this.textDelta(w[k]);
        this.finishMessage("completed");
      }
    };
    if (n === 0) {
      for (const x of w) this.textDelta(x);
      this.finishMessage("completed");
      return;
    }
    const pacing: ResolvedPacing = this.plan.turnScript.pacing;
    if (pacing === "burst") {
      for (let i = 0; i < n && this.phase === "message"; i++) sendDelta(i);
    } else {
      sendDelta(0);
      const every = this.plan.turnScript.deltaMs / pacing.realtime;
      for (let i = 1; i < n; i++) this.cancels.push(this.host.after(every * i, () => sendDelta(i)));
    }
  }

  private textDelta(delta: string): void {
    const m = this.msg!;
    m.sentWords.push(delta);
    const common = { response_id: this.id, item_id: m.item.id, output_index: m.index, content_index: 0 };
    if (m.text) this.host.emit({ type: this.names.textDelta, ...common, delta });
    else {
      const ev: Record<string, unknown> = { type: this.names.transcriptDelta, ...common, delta };
      if (this.host.dialect === "ga" && this.host.obfuscation) ev.obfuscation = this.host.ids.padding();
      this.host.emit(ev);
    }
  }

  private audioDelta(bytes: Uint8Array): void {
    const m = this.msg!;
    m.ci.audio!.chunks.push(bytes);
    m.ci.audio!.bytes += bytes.length;
    m.sentBytes += bytes.length;
    this.audioBytesSent += bytes.length;
    const sentAt = this.host.emit({
      type: this.names.audioDelta, response_id: this.id, item_id: m.item.id, output_index: m.index, content_index: 0,
      delta: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
    });
    if (this.firstAudioUs === undefined) this.firstAudioUs = sentAt;
    this.host.audioSent(this, bytes.length, bytes);
  }

  /** Closing events of the message item (§8.1 steps 11–14); also on interruption (§8.3 step 2). */
  private finishMessage(status: "completed" | "incomplete"): void {
    const m = this.msg!;
    const transcript = m.sentWords.join("");
    const common = { response_id: this.id, item_id: m.item.id, output_index: m.index, content_index: 0 };
    const ga = this.host.dialect === "ga";
    if (m.text) {
      this.host.emit({ type: this.names.textDone, ...common, text: transcript });
      this.host.emit({ type: "response.content_part.done", ...common, part: { type: "text", text: transcript } });
      m.item.content = [{ type: ga ? "output_text" : "text", text: transcript }];
    } else {
      this.host.emit({ type: this.names.audioDone, ...common });
      this.host.emit({ type: this.names.transcriptDone, ...common, transcript });
      this.host.emit({ type: "response.content_part.done", ...common, part: { type: "audio", transcript } });
      m.item.content = [{ type: ga ? "output_audio" : "audio", transcript }];
    }
    m.item.status = status;
    this.emitItemDone(m.ci, m.index);
    if (status === "completed") {
      if (this.plan.turnScript.functionCall) this.startCall();
      else this.complete("completed");
    }
  }

  private startCall(): void {
    this.phase = "call";
    const f = this.plan.turnScript.functionCall!;
    const item: RealtimeItem = { id: this.host.ids.next("item"), type: "function_call", status: "in_progress", call_id: f.callId ?? this.host.ids.next("call"), name: f.name, arguments: "" };
    if (this.host.dialect === "beta") item.object = "realtime.item";
    const ci: ConvItem = { item };
    const index = this.output.length;
    this.output.push(item);
    this.emitItemAdded(ci, index);
    const common = { response_id: this.id, item_id: item.id, output_index: index, call_id: item.call_id };
    for (let i = 0; i < f.arguments.length; i += 16) this.host.emit({ type: "response.function_call_arguments.delta", ...common, delta: f.arguments.slice(i, i + 16) });
    this.host.emit({ type: "response.function_call_arguments.done", ...common, name: f.name, arguments: f.arguments });
    item.arguments = f.arguments;
    item.status = "completed";
    this.emitItemDone(ci, index);
    this.complete("completed");
  }

  private usage(): Record<string, unknown> {
    const input = this.host.inputTokens();
    const outAudio = Math.ceil(msOf(this.audioBytesSent, this.plan.format) / 50);
    const outText = this.output.reduce((s, o) => s + Math.ceil(JSON.stringify(o.content ?? o.arguments ?? "").length / 4), 0);
    const inTotal = input.text + input.audio;
    return {
      total_tokens: inTotal + outAudio + outText,
      input_tokens: inTotal,
      output_tokens: outAudio + outText,
      input_token_details: {
        text_tokens: input.text, audio_tokens: input.audio, image_tokens: 0, cached_tokens: 0,
        cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
      },
      output_token_details: { text_tokens: outText, audio_tokens: outAudio },
    };
  }

  private complete(status: "completed" | "cancelled"): void {
    if (this.phase === "done") return;
    this.phase = "done";
    for (const c of this.cancels) c();
    this.status = status;
    const usage = this.usage();
    this.host.emit({ type: "response.done", response: this.responseObject(usage) });
    // GA: right after response.done (§8.1 step 16, harness position).
    if (this.host.dialect === "ga") this.host.emit({ type: "rate_limits.updated", rate_limits: this.host.rateLimits(usage.total_tokens as number) });
    this.host.finished(this);
  }

  /** Cancel (barge-in `turn_detected` or `response.cancel` `client_cancelled`), §8.3. No-op when done. */
  cancel(reason: "turn_detected" | "client_cancelled"): void {
    if (this.phase === "done") return;
    this.cancelReason = reason;
    for (const c of this.cancels) c();
    if (this.phase === "message") {
      // Stop the message where it is: closing events with what was sent, item incomplete.
      this.phase = "call"; // stops pending deltas from running
      this.finishMessage("incomplete");
    }
    this.complete("cancelled");
  }
}
