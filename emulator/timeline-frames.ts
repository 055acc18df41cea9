// Media frames on the timeline in a compact form. A call streams 50 `media` frames a second per track
// and its app answers with as many `playAudio`: as one object each (event + data + strings) they were
// most of a call's memory and of the garbage collector's work under load. Summarised frames (no text)
// are kept here as columns of numbers (time, seq, bytes, sequence number, shape) and become the same
// `ws.frame` events, key for key, when the timeline is read (timeline.ts).

import type { Lane, TimelineEvent, TimelineEventMap } from "./timeline.js";

type FrameData = TimelineEventMap["ws.frame"];

/**
 * What every frame of one kind on one stream shares. Two layouts, the stream client's two summaries:
 * an outgoing `media` frame (`track` set: data is streamId, direction, bytes, eventType, track,
 * sequenceNumber) and an incoming frame kept without its text (streamId, direction, eventType, bytes).
 */
export interface FrameShapeSpec {
  callId: string;
  lane: Lane;
  streamId: string;
  direction: "out" | "in";
  /** Never `start`/`stop` (those are lifecycle events, kept with their text). */
  eventType: string;
  track?: "inbound" | "outbound";
}

export interface FrameShape extends Readonly<FrameShapeSpec> {
  readonly id: number;
}

/** The event's data, keys in the order the stream client wrote them. */
export function frameData(s: FrameShapeSpec, bytes: number, sequenceNumber?: number): FrameData {
  return s.track !== undefined
    ? { streamId: s.streamId, direction: s.direction, bytes, eventType: s.eventType, track: s.track, sequenceNumber: String(sequenceNumber ?? 0) }
    : { streamId: s.streamId, direction: s.direction, eventType: s.eventType, bytes };
}

/** Frames per block: blocks are never copied when the columns grow. */
const BLOCK = 4096;
/** Integer columns per frame: seq, bytes, sequence number, shape id. */
const INTS = 4;

export class FrameColumns {
  private readonly times: (Float64Array | undefined)[] = [];
  private readonly ints: (Uint32Array | undefined)[] = [];
  /** Frames of each block still on the timeline: a block whose frames were all forgotten is freed. */
  private readonly live: number[] = [];
  private readonly shapes = new Map<number, FrameShape>();
  private nextShape = 0;
  /** Frames stored (indices are never reused). */
  length = 0;

  shape(spec: FrameShapeSpec): FrameShape {
    const s: FrameShape = { ...spec, id: this.nextShape++ };
    this.shapes.set(s.id, s);
    return s;
  }

  /** Store one frame; returns its index. */
  push(t: number, seq: number, shape: FrameShape, bytes: number, sequenceNumber = 0): number {
    const i = this.length++;
    const b = Math.floor(i / BLOCK);
    if (b === this.times.length) {
      this.times.push(new Float64Array(BLOCK));
      this.ints.push(new Uint32Array(BLOCK * INTS));
      this.live.push(0);
    }
    this.live[b]++;
    const k = i % BLOCK;
    this.times[b]![k] = t;
    const ints = this.ints[b]!;
    ints[k * INTS] = seq;
    ints[k * INTS + 1] = bytes;
    ints[k * INTS + 2] = sequenceNumber;
    ints[k * INTS + 3] = shape.id;
    return i;
  }

  callIdOf(i: number): string {
    return this.shapeOf(i).callId;
  }

  /** Frame `i` as the timeline event it stands for (a new object each time). */
  event(i: number): TimelineEvent<"ws.frame"> {
    const b = Math.floor(i / BLOCK);
    const ints = this.ints[b]!;
    const k = (i % BLOCK) * INTS;
    const s = this.shapeOf(i);
    return {
      seq: ints[k],
      t: this.times[b]![i % BLOCK],
      lane: s.lane,
      kind: "ws.frame",
      callId: s.callId,
      data: frameData(s, ints[k + 1], ints[k + 2]),
    };
  }

  /** Frame `i` left the timeline (Timeline.forget); its block is freed with its last frame. */
  release(i: number): void {
    const b = Math.floor(i / BLOCK);
    if (--this.live[b] === 0 && (b + 1) * BLOCK <= this.length) {
      this.times[b] = undefined;
      this.ints[b] = undefined;
    }
  }

  /** Shapes of these calls are no longer needed (their frames were forgotten). */
  forgetShapes(callIds: ReadonlySet<string>): void {
    for (const [id, s] of this.shapes) if (callIds.has(s.callId)) this.shapes.delete(id);
  }

  private shapeOf(i: number): FrameShape {
    return this.shapes.get(this.ints[Math.floor(i / BLOCK)]![(i % BLOCK) * INTS + 3])!;
  }
}
