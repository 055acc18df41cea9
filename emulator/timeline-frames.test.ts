// Compact media events on the timeline (timeline-frames.ts): a timeline fed with appendCompact
// reads, writes and caps exactly like one fed the same events as objects with append.
import { describe, expect, it } from "vitest";
import type { Clock } from "./clock.js";
import { Timeline, type TimelineEvent } from "./timeline.js";
import { CompactColumns, compactData, type CompactSpec } from "./timeline-frames.js";

/** Each reading moves on by an odd fraction of a µs: times must survive the columns exactly. */
function ticking(): Clock {
  let us = 1_000_000;
  return { nowUs: () => (us += 19_999.375), wallNow: () => new Date(0), sleepUs: () => Promise.resolve() };
}

interface Script {
  /** Compact events (a, b: their two numbers) and other events, interleaved as a call records them. */
  steps: ({ spec: CompactSpec; a: number; b?: number } | { kind: "note" | "caller.utterance"; callId: string })[];
}

function script(calls: string[], ticks: number): Script {
  const steps: Script["steps"] = [];
  for (let i = 0; i < ticks; i++) {
    for (const callId of calls) {
      const streamId = `s-${callId}`;
      for (const track of ["inbound", "outbound"] as const) {
        steps.push({ spec: { kind: "ws.frame", callId, lane: "carrier", streamId, direction: "out", eventType: "media", track }, a: 276 + (i % 3), b: i + 1 });
      }
      if (i % 2) {
        steps.push({ spec: { kind: "ws.frame", callId, lane: "app", streamId, direction: "in", eventType: "playAudio" }, a: 300 + i });
        const contentType = i % 5 ? "audio/pcmu" : "Audio/PCMU";
        steps.push({ spec: { kind: "audio.queued", callId, lane: "carrier", streamId, contentType }, a: 160 + (i % 7), b: i % 3 ? 0 : 1 });
      }
      if (i % 50 === 7) steps.push({ kind: "caller.utterance", callId });
    }
    if (i % 100 === 3) steps.push({ kind: "note", callId: calls[0] });
  }
  return { steps };
}

/** The same script into two timelines: objects (append) and compact (appendCompact). */
function record(s: Script, o: { maxEvents?: number; maxPerCall?: number; secret?: string; subscribe?: boolean; media?: "turns" } = {}) {
  const objects = new Timeline(ticking(), o.maxEvents, o.maxPerCall);
  const compact = new Timeline(ticking(), o.maxEvents, o.maxPerCall, { media: o.media });
  if (o.secret) for (const t of [objects, compact]) t.secrets.add(o.secret);
  const heard: TimelineEvent[] = [];
  if (o.subscribe) compact.subscribe((e) => heard.push(e));
  const shapes = new Map<string, ReturnType<Timeline["compactShape"]>>();
  const seqs: [number, number][] = [];
  for (const step of s.steps) {
    if ("spec" in step) {
      const key = JSON.stringify(step.spec);
      let shape = shapes.get(key);
      if (!shape) shapes.set(key, (shape = compact.compactShape(step.spec)));
      const one = objects.append(step.spec.kind, compactData(step.spec, step.a, step.b), { lane: step.spec.lane, callId: step.spec.callId }).seq;
      const two = compact.appendCompact(shape, step.a, step.b);
      seqs.push([one, two]);
    } else {
      const data = step.kind === "note" ? { message: "harness note" } : { index: 0, phase: "start" as const, frame: 3 };
      for (const t of [objects, compact]) t.append(step.kind, data as never, { callId: step.callId, lane: "carrier" });
    }
  }
  return { objects, compact, seqs, heard };
}

describe("compact media frames on the timeline", () => {
  it("read back as the same events, key for key, and write the same timeline.jsonl", () => {
    const { objects, compact, seqs } = record(script(["c-1", "c-2"], 300));
    expect(seqs.every(([a, b]) => a === b)).toBe(true);
    // Every layout is in the script: media out, playAudio in, audio.queued with and without silent.
    const kinds = new Set(objects.events.map((e) => `${e.kind}:${JSON.stringify(Object.keys(e.data))}`));
    expect(kinds.size).toBe(6);
    // Written before anything read them (the compact rows are serialised directly)…
    expect(compact.toJSONL()).toBe(objects.toJSONL());
    // …and read: every event equal, keys in the same order.
    expect(compact.events.length).toBe(objects.events.length);
    expect(JSON.stringify(compact.events)).toBe(JSON.stringify(objects.events));
    expect(compact.events).toEqual(objects.events);
    expect(compact.events).toBe(compact.events); // materialised once, in place
    expect(compact.toJSONL()).toBe(objects.toJSONL());
    expect(compact.of("ws.frame", "c-2")).toEqual(objects.of("ws.frame", "c-2"));
    const mid = objects.events[400].t;
    expect(compact.between(mid, mid + 100_000)).toEqual(objects.between(mid, mid + 100_000));
  });

  it("frames appended after a read go in as events: an array a reader holds sees them", () => {
    const s = script(["c-1"], 200);
    const { objects, compact } = record({ steps: s.steps.slice(0, 150) });
    const held = compact.events;
    expect(held.length).toBe(objects.events.length);
    const shape = compact.compactShape({ kind: "ws.frame", callId: "c-1", lane: "carrier", streamId: "s-c-1", direction: "out", eventType: "media", track: "inbound" });
    for (let i = 0; i < 10; i++) {
      objects.append(shape.kind, compactData(shape, 276, 1000 + i), { lane: "carrier", callId: "c-1" });
      compact.appendCompact(shape, 276, 1000 + i);
      expect(held[held.length - 1]).toEqual(objects.events[objects.events.length - 1]);
    }
    expect(compact.toJSONL()).toBe(objects.toJSONL());
    expect(compact.events).toEqual(objects.events);
  });

  it("keep the instant they are given (a frame's arrival, stamped before it was parsed), compact or not", () => {
    const spec: CompactSpec = { kind: "ws.frame", callId: "c-1", lane: "app", streamId: "s-c-1", direction: "in", eventType: "playAudio" };
    const compact = new Timeline(ticking());
    const arrived = compact.clock.nowUs();
    compact.append("note", { message: "a due tick ran after the frame arrived" }, { callId: "c-1" });
    compact.appendCompact(compact.compactShape(spec), 300, undefined, arrived);
    compact.events; // handed out: later ones go in as events
    compact.appendCompact(compact.compactShape(spec), 300, undefined, arrived + 7.5);
    const plays = compact.of("ws.frame", "c-1");
    expect(plays.map((e) => e.t)).toEqual([arrived, arrived + 7.5]);
    expect(compact.events[0].t).toBeGreaterThan(arrived); // the note, appended first, happened later
  });

  it("count against the caps and are dropped and summarised the same way", () => {
    const { objects, compact } = record(script(["c-1", "c-2", "c-3"], 100), { maxEvents: 700, maxPerCall: 300 });
    expect(compact.dropped).toBeGreaterThan(0);
    expect(compact.dropped).toBe(objects.dropped);
    for (const id of [undefined, "c-1", "c-3"]) expect(compact.dropSummary(id)).toEqual(objects.dropSummary(id));
    expect(compact.toJSONL()).toBe(objects.toJSONL());
  });

  it("slice and forget keep the same events (blocks of forgotten frames are freed)", () => {
    const { objects, compact } = record(script(["c-1", "c-2", "c-3"], 2000));
    expect(compact.slice("c-2").toJSONL()).toBe(objects.slice("c-2").toJSONL());
    const { objects: o2, compact: c2 } = record(script(["c-1", "c-2", "c-3"], 2000));
    o2.forget(new Set(["c-1", "c-3"]));
    c2.forget(new Set(["c-1", "c-3"]));
    expect(c2.toJSONL()).toBe(o2.toJSONL());
    expect(c2.events).toEqual(o2.events);
    c2.forget(new Set(["c-2"]));
    expect(c2.events.filter((e) => e.kind === "ws.frame")).toEqual([]);
    expect(objects.events.length).toBe(compact.events.length);
  });

  it("a secret that a frame's data holds is scrubbed as before (the frame is kept as an object)", () => {
    for (const secret of ["1234", "s-c-1", "inbound", "Audio/PCMU"]) {
      const { objects, compact } = record(script(["c-1"], 1300), { secret });
      const out = compact.toJSONL();
      expect(out).toBe(objects.toJSONL());
      expect(out).toContain("[redacted]");
    }
  });

  it("live subscribers get every frame as its event", () => {
    const { objects, compact, heard } = record(script(["c-1"], 50), { subscribe: true });
    const media = (es: TimelineEvent[]) => es.filter((e) => e.kind === "ws.frame" || e.kind === "audio.queued");
    expect(media(heard)).toEqual(media(objects.events));
    expect(media(heard).length).toBeGreaterThan(100);
    expect(compact.toJSONL()).toBe(objects.toJSONL());
  });

  it("refuses a shape for start or stop frames (they keep their text)", () => {
    expect(() => new Timeline().compactShape({ kind: "ws.frame", callId: "c", lane: "carrier", streamId: "s", direction: "out", eventType: "start" })).toThrow(/text/);
  });

  it("media turns, with a live subscriber: outgoing media frames take their seq and reach it, but only the other events are kept", () => {
    const { objects, compact, heard, seqs } = record(script(["c-1", "c-2"], 300), { subscribe: true, media: "turns" });
    const sent = (e: TimelineEvent) => e.kind === "ws.frame" && (e as TimelineEvent<"ws.frame">).data.direction === "out" && (e as TimelineEvent<"ws.frame">).data.eventType === "media";
    expect(compact.events).toEqual(objects.events.filter((e) => !sent(e)));
    expect(compact.events.length).toBeLessThan(objects.events.length / 2);
    expect(heard.filter(sent)).toEqual(objects.events.filter(sent));
    expect(seqs.every(([a, b]) => a === b)).toBe(true);
    expect(compact.slice("c-2").events).toEqual(objects.slice("c-2").events.filter((e) => !sent(e)));
  });
});

describe("compact columns", () => {
  it("a block is freed with its last event; the events still held, and those pushed after, read back unchanged", () => {
    const cols = new CompactColumns();
    const shape = cols.shape({ kind: "audio.queued", callId: "c-1", lane: "carrier", streamId: "s-1", contentType: "audio/pcmu" });
    const rows = Array.from({ length: 3 * 256 }, (_, k) => cols.push(1000.5 + k, k, shape, 300 + k, k % 2));
    // The first block's events all leave: it is freed.
    for (const i of rows.slice(0, 256)) cols.release(i);
    expect(() => cols.event(rows[0])).toThrow(TypeError);
    const more = Array.from({ length: 256 }, (_, k) => cols.push(9000.25 + k, 5000 + k, shape, 7 + k, 1));
    const read = (i: number) => {
      const e = cols.event(i) as TimelineEvent<"audio.queued">;
      return [e.t, e.seq, e.data.samples8k, e.data.silent ? 1 : 0, e.data.streamId, e.callId];
    };
    for (const [k, i] of rows.slice(256).entries()) expect(read(i)).toEqual([1256.5 + k, 256 + k, 556 + k, k % 2, "s-1", "c-1"]);
    for (const [k, i] of more.entries()) expect(read(i)).toEqual([9000.25 + k, 5000 + k, 7 + k, 1, "s-1", "c-1"]);
  });
});
