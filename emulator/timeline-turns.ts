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

/** How old a row is when it is decided: the speech end's delay (1 s) with room for late pacing. */
export const HORIZON_US = 3 * SPEECH_END_TRACK_FRAMES * FRAME_MS * 1000;

/** What the retention reads of a compact row (timeline-frames.ts CompactColumns). */
export interface PlayColumns {
  time(i: number): number;
  /** The row's `b`: an `audio.queued` row's silent flag. */
  b(i: number): number;
  streamOf(i: number): string;
}

interface Anchor {
  atUs: number;
  /** Still looking for the first playAudio after `atUs` (any; holding speech). */
  any: boolean;
  speech: boolean;
}

/** Play rows (column indices) in seq order, each with its `audio.queued` row (-1: none yet). */
export class TurnPlays {
  private plays: number[] = [];
  private queued: number[] = [];
  private head = 0;
  /** The call's start is an instant too: its first playAudio and first speech (the greeting). */
  private anchors: Anchor[] = [{ atUs: -Infinity, any: true, speech: true }];

  constructor(private readonly cols: PlayColumns) {}

  /** A playAudio row arrived; returns the rows decided by now, kept (`keep`) or not (`drop`). */
  play(i: number, keep: (play: number, queued: number) => void, drop: (row: number) => void): void {
    this.plays.push(i);
    this.queued.push(-1);
    this.decide(this.cols.time(i) - HORIZON_US, keep, drop);
  }

  /** An `audio.queued` row: it belongs to the stream's last playAudio (as points.ts pairs them); false when there is none pending. */
  queue(i: number): boolean {
    const stream = this.cols.streamOf(i);
    for (let k = this.plays.length - 1; k >= this.head; k--) {
      if (this.cols.streamOf(this.plays[k]) !== stream) continue;
      if (this.queued[k] !== -1) return false;
      this.queued[k] = i;
      return true;
    }
    return false;
  }

  /** An instant a caller utterance ended: its first playAudio and first speech playAudio are kept. */
  anchor(atUs: number): void {
    this.anchors.push({ atUs, any: true, speech: true });
  }

  /** Every row still pending is kept (the timeline is being read). */
  flush(keep: (play: number, queued: number) => void): void {
    let last = -Infinity;
    for (let k = this.head; k < this.plays.length; k++) {
      last = this.cols.time(this.plays[k]);
      keep(this.plays[k], this.queued[k]);
    }
    this.plays = [];
    this.queued = [];
    this.head = 0;
    // Instants before the last row kept have their answer among the rows kept.
    this.anchors = this.anchors.filter((a) => a.atUs >= last);
  }

  /** Decide the rows older than `beforeUs`, in order. */
  private decide(beforeUs: number, keep: (play: number, queued: number) => void, drop: (row: number) => void): void {
    while (this.head < this.plays.length) {
      const p = this.plays[this.head];
      const t = this.cols.time(p);
      if (t >= beforeUs) break;
      const q = this.queued[this.head];
      // points.ts: a playAudio without its audio.queued counts as speech.
      const speech = q === -1 || this.cols.b(q) === 0;
      let kept = false;
      for (const a of this.anchors) {
        if (a.atUs >= t) continue;
        if (a.any) (a.any = false), (kept = true);
        if (a.speech && speech) (a.speech = false), (kept = true);
      }
      if (kept) {
        keep(p, q);
        this.anchors = this.anchors.filter((a) => a.any || a.speech);
      } else {
        drop(p);
        if (q !== -1) drop(q);
      }
      this.head++;
    }
    if (this.head >= 256) {
      this.plays.splice(0, this.head);
      this.queued.splice(0, this.head);
      this.head = 0;
    }
  }
}
