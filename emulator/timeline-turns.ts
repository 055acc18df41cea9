// The `playAudio` rows a load call keeps (Timeline option media "turns"). An app answers every 20 ms
// with a playAudio (and the carrier queues it: `audio.queued`), for as long as the call lasts; kept
// one row each, a call's timeline grew without bound. What `bwemu load` reads of them is each turn's
// latency (emulator/latency/points.ts, compute.ts): the first playAudio, and the first that holds
// speech, after each instant a caller utterance ended (`caller.utterance` end, or the send instant
// of the `caller.speech-end` frame), and the call's first speech playAudio (the greeting). Those
// rows, with their `audio.queued`, are kept; the others are let go.
//
// A speech end is appended a second after its frame went out (SPEECH_END_TRACK_FRAMES), so a row is
// decided only once it is HORIZON_US old: every instant that can select it is known by then. Rows
// still undecided when the timeline is read are all kept: a superset of the rows that matter
// changes no "first after" answer, since no row between an instant and its answer was let go.

import { SPEECH_END_TRACK_FRAMES } from "./stream/speech-end.js";
import { FRAME_MS } from "./protocol/media-stream.js";
import type { CompactShape } from "./timeline-frames.js";

/** How old a row is when it is decided: the speech end's delay (1 s) with room for late pacing. */
export const HORIZON_US = 3 * SPEECH_END_TRACK_FRAMES * FRAME_MS * 1000;

/** A decided row kept: the timeline inserts it among its rows at its seq. */
export type KeepRow = (t: number, seq: number, shape: CompactShape, a: number, b: number) => void;

interface Anchor {
  atUs: number;
  /** Still looking for the first playAudio after `atUs` (any; holding speech). */
  any: boolean;
  speech: boolean;
}

/** Numbers a pending row holds: its playAudio's time, seq and bytes, then its audio.queued's time, seq, samples and silent flag (seq -1: none yet). */
const T = 0;
const SEQ = 1;
const A = 2;
const QT = 3;
const QSEQ = 4;
const QA = 5;
const QB = 6;
const W = 7;
/** Rows a call's ring starts with: a bridge answering every 20 ms has ~150 undecided (HORIZON_US of them); it doubles when full. */
const INITIAL_ROWS = 256;

/**
 * One call's undecided playAudio rows, oldest first, each with its `audio.queued`, as numbers in a
 * ring: a row costs no object, and one let go costs nothing to free. A load call's app answers 50
 * times a second, and nearly every row is let go.
 */
export class TurnPlays {
  private rows = new Float64Array(INITIAL_ROWS * W);
  private shapes: (CompactShape | undefined)[] = new Array<CompactShape | undefined>(INITIAL_ROWS).fill(undefined);
  private queuedShapes: (CompactShape | undefined)[] = new Array<CompactShape | undefined>(INITIAL_ROWS).fill(undefined);
  private cap = INITIAL_ROWS;
  private head = 0;
  private n = 0;
  /** The call's start is an instant too: its first playAudio and first speech (the greeting). */
  private anchors: Anchor[] = [{ atUs: -Infinity, any: true, speech: true }];

  /** A playAudio row arrived; the rows decided by now that are kept go to `keep`, the others are let go. */
  play(t: number, seq: number, shape: CompactShape, a: number, keep: KeepRow): void {
    if (this.n === this.cap) this.resize(this.cap * 2);
    const s = (this.head + this.n++) & (this.cap - 1);
    const o = s * W;
    const r = this.rows;
    r[o + T] = t;
    r[o + SEQ] = seq;
    r[o + A] = a;
    r[o + QSEQ] = -1;
    this.shapes[s] = shape;
    this.decide(t - HORIZON_US, keep);
  }

  /** An `audio.queued` row: it belongs to the stream's last playAudio (as points.ts pairs them); dropped when that one has its row already or there is none pending. */
  queue(t: number, seq: number, shape: CompactShape, a: number, b: number): void {
    for (let k = this.n - 1; k >= 0; k--) {
      const s = (this.head + k) & (this.cap - 1);
      if (this.shapes[s]!.streamId !== shape.streamId) continue;
      const o = s * W;
      const r = this.rows;
      if (r[o + QSEQ] !== -1) return;
      r[o + QT] = t;
      r[o + QSEQ] = seq;
      r[o + QA] = a;
      r[o + QB] = b;
      this.queuedShapes[s] = shape;
      return;
    }
  }

  /** An instant a caller utterance ended: its first playAudio and first speech playAudio are kept. */
  anchor(atUs: number): void {
    this.anchors.push({ atUs, any: true, speech: true });
  }

  /** Every row still pending is kept (the timeline is being read). */
  flush(keep: KeepRow): void {
    let last = -Infinity;
    for (; this.n > 0; this.n--, this.head = (this.head + 1) & (this.cap - 1)) {
      last = this.rows[this.head * W + T];
      this.emit(this.head, keep);
    }
    this.head = 0;
    // Instants before the last row kept have their answer among the rows kept.
    this.anchors = this.anchors.filter((a) => a.atUs >= last);
  }

  /** Decide the rows older than `beforeUs`, in order. */
  private decide(beforeUs: number, keep: KeepRow): void {
    const r = this.rows;
    while (this.n > 0) {
      const s = this.head;
      const t = r[s * W + T];
      if (t >= beforeUs) break;
      // points.ts: a playAudio without its audio.queued counts as speech.
      const speech = r[s * W + QSEQ] === -1 || r[s * W + QB] === 0;
      let kept = false;
      for (const a of this.anchors) {
        if (a.atUs >= t) continue;
        if (a.any) (a.any = false), (kept = true);
        if (a.speech && speech) (a.speech = false), (kept = true);
      }
      if (kept) {
        this.emit(s, keep);
        this.anchors = this.anchors.filter((a) => a.any || a.speech);
      }
      this.head = (s + 1) & (this.cap - 1);
      this.n--;
    }
    // After a flood the ring gives its room back: under a third full, halved (it is then under two
    // thirds full, so it does not grow again at once).
    if (this.cap > INITIAL_ROWS && this.n < this.cap / 3) this.resize(this.cap / 2);
  }

  /** Row `s` is kept: its playAudio, then its audio.queued. */
  private emit(s: number, keep: KeepRow): void {
    const r = this.rows;
    const o = s * W;
    keep(r[o + T], r[o + SEQ], this.shapes[s]!, r[o + A], 0);
    if (r[o + QSEQ] !== -1) keep(r[o + QT], r[o + QSEQ], this.queuedShapes[s]!, r[o + QA], r[o + QB]);
  }

  /** Rows the ring has room for. */
  get capacity(): number {
    return this.cap;
  }

  /** Room for `cap` rows (a power of two, at least `n`), the rows in order from slot 0. */
  private resize(cap: number): void {
    const rows = new Float64Array(cap * W);
    const shapes = new Array<CompactShape | undefined>(cap).fill(undefined);
    const queuedShapes = new Array<CompactShape | undefined>(cap).fill(undefined);
    for (let k = 0; k < this.n; k++) {
      const s = (this.head + k) & (this.cap - 1);
      rows.set(this.rows.subarray(s * W, s * W + W), k * W);
      shapes[k] = this.shapes[s];
      queuedShapes[k] = this.queuedShapes[s];
    }
    this.rows = rows;
    this.shapes = shapes;
    this.queuedShapes = queuedShapes;
    this.cap = cap;
    this.head = 0;
  }
}
