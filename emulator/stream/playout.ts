// The play-out queue of one bidirectional stream (bandwidth.md §4.6, openai-realtime.md §12.3.4):
// `playAudio` appends, the call's media clock takes one 20 ms frame per tick, `clear` drops what
// has not played. Pure: no clock, no I/O; the caller decides when a tick happens.
//
// It also knows how much of the queue is agent speech: the audio up to the last sample over the
// shared speech level (media/speech-level.ts). Digital silence a bot streams to keep the line busy
// (μ-law 0xFF/0x7F, PCM zeros, faint noise) is audio, but nobody is talking.
//
// Bounded (OPEN-10 leaves the size open): audio beyond `maxSamples` is refused and counted, so a
// flood of minutes of audio in a second cannot grow memory without bound.

import { speechEndSample } from "../media/speech-level.js";

export interface EnqueueResult {
  /** Samples appended to the queue. */
  accepted: number;
  /** The accepted samples hold speech (some sample over the speech level). */
  speech: boolean;
  /** Samples refused because the queue was full. */
  dropped: number;
}

export interface TakeResult {
  /** Always `n` samples; the tail is zero (silence) when the queue held fewer. */
  pcm: Int16Array;
  /** Samples that came from the queue (≤ n). */
  samples: number;
}

/** First ring size: 256 ms at 8 kHz (a bridge's deltas are 20–500 ms); it doubles as audio queues up. */
const FIRST_RING = 2048;

export class PlayoutBuffer {
  /**
   * The queued samples, in a ring that grows (doubling, never past `maxSamples`) as audio queues up
   * and shrinks back once it has all played: a message's audio is copied in, a frame copied out, so
   * no array is allocated per playAudio or per frame (they were young-generation garbage on every
   * call's media path, and a queue fed as fast as it plays kept its spent chunks reachable).
   */
  private ring = new Int16Array(0);
  /** Ring index of the next sample to play. */
  private head = 0;
  private queued = 0;
  /** What `take` returns: the frame just taken (valid until the next call). */
  private frame = new Int16Array(0);
  /** The results of `enqueue` and `take`: one object each, rewritten every call (no object per message or tick). */
  private readonly enqueued: EnqueueResult = { accepted: 0, speech: false, dropped: 0 };
  private readonly taken: TakeResult = { pcm: this.frame, samples: 0 };
  /** Queued samples up to and including the last one that is speech (0: only silence is queued). */
  private speechQueued = 0;
  totalAccepted = 0;
  totalPlayed = 0;
  totalCleared = 0;
  totalOverflow = 0;

  constructor(
    /** Hard cap on queued samples. */
    readonly maxSamples: number,
    readonly sampleRate = 8000,
  ) {
    if (!(maxSamples > 0)) throw new RangeError(`PlayoutBuffer: maxSamples must be positive, got ${maxSamples}`);
  }

  get queuedSamples(): number {
    return this.queued;
  }

  get queuedMs(): number {
    return (this.queued * 1000) / this.sampleRate;
  }

  /** Queued agent speech: how long until the last speech sample queued has played (trailing silence excluded). */
  get queuedSpeechMs(): number {
    return (this.speechQueued * 1000) / this.sampleRate;
  }

  get empty(): boolean {
    return this.queued === 0;
  }

  /** Append audio (copied in: the caller may reuse `pcm`); keeps the head of `pcm` up to the cap, refuses the rest. The result is valid until the next call. */
  enqueue(pcm: Int16Array): EnqueueResult {
    const room = this.maxSamples - this.queued;
    const accepted = Math.max(0, Math.min(room, pcm.length));
    const dropped = pcm.length - accepted;
    let speech = false;
    if (accepted > 0) {
      const chunk = accepted === pcm.length ? pcm : pcm.subarray(0, accepted);
      const end = speechEndSample(chunk);
      speech = end > 0;
      if (speech) this.speechQueued = this.queued + end;
      this.reserve(this.queued + accepted);
      const cap = this.ring.length;
      const at = (this.head + this.queued) % cap;
      const first = Math.min(accepted, cap - at);
      this.ring.set(first === accepted ? chunk : chunk.subarray(0, first), at);
      if (first < accepted) this.ring.set(chunk.subarray(first), 0);
      this.queued += accepted;
      this.totalAccepted += accepted;
    }
    this.totalOverflow += dropped;
    const r = this.enqueued;
    r.accepted = accepted;
    r.dropped = dropped;
    r.speech = speech;
    return r;
  }

  /** Room for `n` queued samples: a bigger ring, the queue copied to its start. */
  private reserve(n: number): void {
    const cap = this.ring.length;
    if (n <= cap) return;
    let size = Math.max(FIRST_RING, cap);
    while (size < n) size *= 2;
    const grown = new Int16Array(Math.min(size, Math.max(n, this.maxSamples)));
    const first = Math.min(this.queued, cap - this.head);
    grown.set(this.ring.subarray(this.head, this.head + first));
    if (first < this.queued) grown.set(this.ring.subarray(0, this.queued - first), first);
    this.ring = grown;
    this.head = 0;
  }

  /**
   * Take the next `n` samples (one frame), or null when nothing is queued. The result and its `pcm`
   * are read-only and valid until the next call (one object and one array, refilled every call).
   */
  take(n: number): TakeResult | null {
    if (this.queued === 0) return null;
    if (this.frame.length !== n) this.frame = new Int16Array(n);
    const pcm = this.frame;
    const k = Math.min(n, this.queued);
    const cap = this.ring.length;
    const first = Math.min(k, cap - this.head);
    // Copied a sample at a time: a frame is 160 of them, and two views a call-tick were garbage.
    const ring = this.ring;
    for (let i = 0, h = this.head; i < first; i++, h++) pcm[i] = ring[h];
    for (let i = first; i < k; i++) pcm[i] = ring[i - first];
    if (k < n) pcm.fill(0, k);
    this.head = (this.head + k) % cap;
    this.queued -= k;
    this.speechQueued = Math.max(0, this.speechQueued - k);
    this.totalPlayed += k;
    if (this.queued === 0) this.reset();
    const r = this.taken;
    r.pcm = pcm;
    r.samples = k;
    return r;
  }

  /** Empty: a ring grown for a long reply is let go. */
  private reset(): void {
    this.head = 0;
    if (this.ring.length > FIRST_RING) this.ring = new Int16Array(0);
  }

  /** Drop everything not yet played; returns the dropped sample count. */
  clear(): number {
    const dropped = this.queued;
    this.queued = 0;
    this.reset();
    this.speechQueued = 0;
    this.totalCleared += dropped;
    return dropped;
  }
}
