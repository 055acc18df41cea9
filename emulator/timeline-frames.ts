// Media frames on the timeline in a compact form. A call streams 50 `media` frames a second per track
// and its app answers with as many `playAudio`, each queued (`audio.queued`): as one object each
// (event + data + strings) they were most of a call's memory and of the garbage collector's work
// under load. These events are kept here as columns of numbers (time, seq, two values, shape) and
// become the same events, key for key, when the timeline is read (timeline.ts).

import type { Lane, TimelineEvent, TimelineEventMap } from "./timeline.js";

/**
 * What every compact event of one kind on one stream shares. Three layouts, the stream client's
 * summaries, each with two numbers (a, b):
 * - an outgoing `media` frame (`ws.frame` with `track`): data streamId, direction, bytes (a),
 *   eventType, track, sequenceNumber (b);
 * - an incoming frame kept without its text (`ws.frame`, no `track`): streamId, direction, eventType, bytes (a);
 * - `audio.queued`: streamId, contentType, samples8k (a), durationMs (a / 8), silent (b = 1).
 */
export type CompactSpec =
  | {
      kind: "ws.frame";
      callId: string;
      lane: Lane;
      streamId: string;
      direction: "out" | "in";
      /** Never `start`/`stop` (those are lifecycle events, kept with their text). */
      eventType: string;
      track?: "inbound" | "outbound";
    }
  | { kind: "audio.queued"; callId: string; lane: Lane; streamId: string; contentType: string };

export type CompactShape = Readonly<CompactSpec> & { readonly id: number };

type CompactKind = CompactSpec["kind"];

/** The event's data, keys in the order the stream client wrote them. */
export function compactData(s: CompactSpec, a: number, b = 0): TimelineEventMap[CompactKind] {
  if (s.kind === "audio.queued") {
    const d: TimelineEventMap["audio.queued"] = { streamId: s.streamId, contentType: s.contentType, samples8k: a, durationMs: a / 8 };
    if (b) d.silent = true;
    return d;
  }
  return s.track !== undefined
    ? { streamId: s.streamId, direction: s.direction, bytes: a, eventType: s.eventType, track: s.track, sequenceNumber: String(b) }
    : { streamId: s.streamId, direction: s.direction, eventType: s.eventType, bytes: a };
}

/** The strings of a shape's data (what the timeline's secret scrub reads). */
export function compactStrings(s: CompactSpec): string[] {
  if (s.kind === "audio.queued") return [s.streamId, s.contentType];
  return s.track !== undefined ? [s.streamId, s.direction, s.eventType, s.track] : [s.streamId, s.direction, s.eventType];
}

/** Events per block: blocks are never copied when the columns grow. */
const BLOCK = 256;
/** Integer columns per event: seq, a, b, shape id. */
const INTS = 4;

export class CompactColumns {
  private readonly times: (Float64Array | undefined)[] = [];
  private readonly ints: (Uint32Array | undefined)[] = [];
  /** Events of each block still on the timeline: a block whose events were all forgotten is freed. */
  private readonly live: number[] = [];
  /** Shapes by id (ids count from 0; a forgotten call's are undefined): read for every event, an array is cheaper than a Map. */
  private readonly shapes: (CompactShape | undefined)[] = [];
  private nextShape = 0;
  /** Events stored (indices are never reused). */
  length = 0;

  shape(spec: CompactSpec): CompactShape {
    const s: CompactShape = { ...spec, id: this.nextShape++ };
    this.shapes[s.id] = s;
    return s;
  }

  /** Store one event; returns its index. */
  push(t: number, seq: number, shape: CompactShape, a: number, b = 0): number {
    const i = this.length++;
    const blk = Math.floor(i / BLOCK);
    if (blk === this.times.length) {
      this.times.push(new Float64Array(BLOCK));
      this.ints.push(new Uint32Array(BLOCK * INTS));
      this.live.push(0);
    }
    this.live[blk]++;
    const k = i % BLOCK;
    this.times[blk]![k] = t;
    const ints = this.ints[blk]!;
    ints[k * INTS] = seq;
    ints[k * INTS + 1] = a;
    ints[k * INTS + 2] = b;
    ints[k * INTS + 3] = shape.id;
    return i;
  }

  callIdOf(i: number): string {
    return this.shapeOf(i).callId;
  }

  seqOf(i: number): number {
    return this.ints[Math.floor(i / BLOCK)]![(i % BLOCK) * INTS];
  }

  /** Event `i` as the timeline event it stands for (a new object each time). */
  event(i: number): TimelineEvent {
    const b = Math.floor(i / BLOCK);
    const ints = this.ints[b]!;
    const k = (i % BLOCK) * INTS;
    const s = this.shapeOf(i);
    return {
      seq: ints[k],
      t: this.times[b]![i % BLOCK],
      lane: s.lane,
      kind: s.kind,
      callId: s.callId,
      data: compactData(s, ints[k + 1], ints[k + 2]),
    };
  }

  /** Event `i` left the row list (read as an object, or forgotten); its block is freed with its last event. */
  release(i: number): void {
    const b = Math.floor(i / BLOCK);
    if (--this.live[b] === 0 && (b + 1) * BLOCK <= this.length) {
      this.times[b] = undefined;
      this.ints[b] = undefined;
    }
  }

  /** Shapes of these calls are no longer needed (their frames were forgotten); returns their ids. */
  forgetShapes(callIds: ReadonlySet<string>): number[] {
    const ids: number[] = [];
    this.shapes.forEach((s, id) => {
      if (s && callIds.has(s.callId)) (this.shapes[id] = undefined), ids.push(id);
    });
    return ids;
  }

  private shapeOf(i: number): CompactShape {
    return this.shapes[this.ints[Math.floor(i / BLOCK)]![(i % BLOCK) * INTS + 3]]!;
  }
}
