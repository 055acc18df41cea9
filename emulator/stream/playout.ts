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

/** A played chunk's slot (the chunk itself is let go). */
const SPENT = new Int16Array(0);

export class PlayoutBuffer {
  private chunks: Int16Array[] = [];
  /** Index of the chunk being played (chunks before it are spent; compacted now and then). */
  private first = 0;
  /** Read position inside `chunks[first]`. */
  private head = 0;
  private queued = 0;
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

  /** Append audio; keeps the head of `pcm` up to the cap, refuses the rest. Does not copy a fully accepted array. */
  enqueue(pcm: Int16Array): EnqueueResult {
    const room = this.maxSamples - this.queued;
    const accepted = Math.max(0, Math.min(room, pcm.length));
    const dropped = pcm.length - accepted;
    let speech = false;
    if (accepted > 0) {
      const chunk = accepted === pcm.length ? pcm : pcm.slice(0, accepted);
      const end = speechEndSample(chunk);
      speech = end > 0;
      if (speech) this.speechQueued = this.queued + end;
      this.chunks.push(chunk);
      this.queued += accepted;
      this.totalAccepted += accepted;
    }
    this.totalOverflow += dropped;
    return { accepted, dropped, speech };
  }

  /**
   * Take the next `n` samples (one frame), or null when nothing is queued. `pcm` is read-only and
   * valid until the next call: when the frame lies whole in one queued chunk it is a view of it (no
   * copy, no array per frame), else a new array.
   */
  take(n: number): TakeResult | null {
    if (this.queued === 0) return null;
    const c0 = this.chunks[this.first];
    if (c0 && c0.length - this.head >= n) {
      const pcm = this.head === 0 && c0.length === n ? c0 : c0.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head >= c0.length) this.spend();
      return this.taken(pcm, n);
    }
    const pcm = new Int16Array(n);
    let filled = 0;
    while (filled < n && this.first < this.chunks.length) {
      const c = this.chunks[this.first];
      const k = Math.min(n - filled, c.length - this.head);
      pcm.set(c.subarray(this.head, this.head + k), filled);
      filled += k;
      this.head += k;
      if (this.head >= c.length) this.spend();
    }
    return this.taken(pcm, filled);
  }

  /**
   * The chunk being played is done: its slot lets go of it at once. A queue fed as fast as it plays
   * (a bridge streaming 20 ms deltas) never runs dry, and spent chunks held until the next compaction
   * were most of a call's memory and survived young-generation collections (copied, then promoted).
   */
  private spend(): void {
    this.chunks[this.first++] = SPENT;
    this.head = 0;
  }

  private taken(pcm: Int16Array, filled: number): TakeResult {
    // Compact spent slots in O(1) amortised instead of shifting on every frame.
    if (this.first >= 64 || this.first === this.chunks.length) {
      if (this.first === this.chunks.length) this.chunks.length = 0;
      else this.chunks.splice(0, this.first);
      this.first = 0;
    }
    this.queued -= filled;
    this.speechQueued = Math.max(0, this.speechQueued - filled);
    this.totalPlayed += filled;
    return { pcm, samples: filled };
  }

  /** Drop everything not yet played; returns the dropped sample count. */
  clear(): number {
    const dropped = this.queued;
    this.chunks = [];
    this.first = 0;
    this.head = 0;
    this.queued = 0;
    this.speechQueued = 0;
    this.totalCleared += dropped;
    return dropped;
  }
}
