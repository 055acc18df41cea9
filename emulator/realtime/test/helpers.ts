// Test helpers: a real `ws` client that records every server event, and caller audio builders.
import WebSocket from "ws";
import { encodeMulaw, MULAW_SILENCE } from "../../media/mulaw.js";
import { pcm16ToBytesLE } from "../../media/pcm16.js";
import { speechLikeSignal } from "../audio.js";

export type Ev = Record<string, any> & { type: string };

export class Client {
  readonly events: Ev[] = [];
  closed?: { code: number; reason: string };
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (d) => {
      this.events.push(JSON.parse(d.toString()));
      this.notify();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.notify();
    });
    ws.on("error", () => {});
  }

  static async connect(url: string, opts: { headers?: Record<string, string>; protocols?: string[]; query?: string } = {}): Promise<Client> {
    const u = url + (opts.query ?? "?model=gpt-realtime");
    const ws = new WebSocket(u, opts.protocols ?? [], { headers: { Authorization: "Bearer sk-test-SECRET", ...opts.headers }, maxPayload: 1024 * 1024 });
    const c = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return c;
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(ev: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(ev));
  }

  sendRaw(s: string | Buffer): void {
    this.ws.send(s);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  of(type: string): Ev[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Wait until `pred` holds over the events so far (or the socket closed), with a timeout. */
  async until(pred: (c: Client) => boolean, timeoutMs = 8000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${what}; got: ${this.types().join(", ")}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Wait for the n-th (1-based) event of `type`. */
  async waitFor(type: string, n = 1, timeoutMs = 8000): Promise<Ev> {
    await this.until((c) => c.of(type).length >= n, timeoutMs, `${type} #${n}`);
    return this.of(type)[n - 1];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.ws.close(1000);
    await this.until((c) => c.closed !== undefined, 5000, "close");
  }
}

/** A steady tone (crisp on/offsets, so VAD boundaries are exact to the window). */
export function tone(ms: number, rate: number, hz = 300, amp = 0.3): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * amp * 32767);
  return out;
}

/** µ-law caller audio: `silenceMs` of digital silence, `speechMs` of speech-like signal (seed 0: a steady tone), `tailMs` silence. */
export function mulawUtterance(silenceMs: number, speechMs: number, tailMs: number, seed = 1): Uint8Array {
  const speech = encodeMulaw(seed === 0 ? tone(speechMs, 8000) : speechLikeSignal(speechMs, 8000, seed));
  const out = new Uint8Array((silenceMs + tailMs) * 8 + speech.length).fill(MULAW_SILENCE);
  out.set(speech, silenceMs * 8);
  return out;
}

/** PCM16 24 kHz caller audio with the same layout. */
export function pcm16Utterance(silenceMs: number, speechMs: number, tailMs: number, seed = 1): Uint8Array {
  const speech = pcm16ToBytesLE(seed === 0 ? tone(speechMs, 24000) : speechLikeSignal(speechMs, 24000, seed));
  const out = new Uint8Array((silenceMs + tailMs) * 48 + speech.length);
  out.set(speech, silenceMs * 48);
  return out;
}

/** Send audio as appends of `frameBytes` (default: 20 ms of µ-law). */
export function appendAll(c: Client, audio: Uint8Array, frameBytes = 160): void {
  for (let i = 0; i < audio.length; i += frameBytes) {
    c.send({ type: "input_audio_buffer.append", audio: Buffer.from(audio.subarray(i, i + frameBytes)).toString("base64") });
  }
}

/** How a GA audio response closes, finished or cancelled (openai-realtime.md §8.1, §8.3): the .done events, innermost first. */
export const GA_RESPONSE_CLOSE = [
  "response.output_audio.done",
  "response.output_audio_transcript.done",
  "response.content_part.done",
  "response.output_item.done",
  "conversation.item.done",
  "response.done",
];

export const GA_PCMU_UPDATE = {
  type: "session.update",
  session: {
    type: "realtime", model: "gpt-realtime", output_modalities: ["audio"],
    audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad" } }, output: { format: { type: "audio/pcmu" }, voice: "alloy" } },
    instructions: "Be brief.",
  },
};

export const BETA_PCMU_UPDATE = {
  type: "session.update",
  session: { turn_detection: { type: "server_vad" }, input_audio_format: "g711_ulaw", output_audio_format: "g711_ulaw", voice: "alloy", instructions: "Be brief.", modalities: ["text", "audio"], temperature: 0.8 },
};
