// Carrier-side measurement points (openai-realtime.md §12.3.2), read from a call's timeline.
// Only carrier timestamps are used here (§12.3.1: no cross-side subtraction).

import type { Timeline, TimelineEvent } from "../timeline.js";
import "../direct/events.js"; // direct mode's kinds stand in for the media socket's (no bridge)
import "../stream/speech-end.js";
import { sentAt, type CarrierBoundary } from "./boundary.js";

export interface PlayAudioPoint {
  t: number;
  seq: number;
  streamId: string;
  /** Audio duration in ms, from the carrier's `audio.queued` or, failing that, the frame's payload. */
  durationMs?: number;
  /** Its audio was silence (`audio.queued` says so): the line kept busy, not the agent speaking. */
  silent?: true;
}

export interface UtterancePoints {
  index: number;
  bargeIn: boolean;
  onUs?: number;
  onSeq?: number;
  endUs?: number;
  endSeq?: number;
  /** The sample-accurate speech end (`caller.speech-end`); when present, endUs is its frame's send instant. */
  boundary?: CarrierBoundary;
}

export interface CarrierPoints {
  startUs?: number;
  startSeq?: number;
  utterances: UtterancePoints[];
  /** playAudio that carried agent speech: where replies (and greetings) begin. */
  plays: PlayAudioPoint[];
  /** Every playAudio, silence included: what fills the play-out queue (jitter). */
  allPlays: PlayAudioPoint[];
  clears: { t: number; seq: number; streamId: string }[];
}

/** The events of one call: its own, plus stream events recorded without a callId on one of its streams. */
export function callEvents(timeline: Timeline | readonly TimelineEvent[], callId: string): TimelineEvent[] {
  const all = Array.isArray(timeline) ? (timeline as readonly TimelineEvent[]) : (timeline as Timeline).events;
  const streams = new Set<string>();
  for (const e of all) {
    if (e.callId !== callId) continue;
    const sid = (e.data as { streamId?: unknown }).streamId;
    if (typeof sid === "string") streams.add(sid);
  }
  return all.filter((e) => {
    if (e.callId === callId) return true;
    if (e.callId !== undefined) return false;
    const sid = (e.data as { streamId?: unknown }).streamId;
    return typeof sid === "string" && streams.has(sid);
  });
}

const BYTES_PER_MS: Record<string, number> = {
  "audio/pcmu": 8,
  "audio/pcm;rate=8000;channels=1;bit-depth=16;endian=little;encoding=signed": 16,
  "audio/pcm;rate=16000;channels=1;bit-depth=16;endian=little;encoding=signed": 32,
  "audio/pcm;rate=24000;channels=1;bit-depth=16;endian=little;encoding=signed": 48,
};

function base64Bytes(b64: string): number {
  const s = b64.replace(/\s+/g, "");
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}

/** Duration of a playAudio frame from its recorded text, when the text is complete JSON. */
export function playAudioDurationFromText(text: string | undefined): number | undefined {
  if (!text) return undefined;
  try {
    const m = JSON.parse(text) as { media?: { contentType?: unknown; payload?: unknown } };
    const ct = typeof m.media?.contentType === "string" ? m.media.contentType.toLowerCase().replace(/\s+/g, "") : "";
    const rate = BYTES_PER_MS[ct];
    if (!rate || typeof m.media?.payload !== "string") return undefined;
    return base64Bytes(m.media.payload) / rate;
  } catch {
    return undefined;
  }
}

export function carrierPoints(events: readonly TimelineEvent[]): CarrierPoints {
  const out: CarrierPoints = { utterances: [], plays: [], allPlays: [], clears: [] };
  const byIndex = new Map<number, UtterancePoints>();
  const utterance = (index: number): UtterancePoints => {
    let u = byIndex.get(index);
    if (!u) byIndex.set(index, (u = { index, bargeIn: false }));
    return u;
  };
  /** Last playAudio per stream still waiting for its `audio.queued`. */
  const pendingPlay = new Map<string, PlayAudioPoint>();
  for (const e of events) {
    if (e.kind === "ws.frame") {
      const d = (e as TimelineEvent<"ws.frame">).data;
      if (d.direction === "out" && d.eventType === "start" && out.startUs === undefined) {
        out.startUs = e.t;
        out.startSeq = e.seq;
      } else if (d.direction === "in" && d.eventType === "playAudio") {
        const p: PlayAudioPoint = { t: e.t, seq: e.seq, streamId: d.streamId, durationMs: playAudioDurationFromText(d.text) };
        out.allPlays.push(p);
        pendingPlay.set(d.streamId, p);
      } else if (d.direction === "in" && d.eventType === "clear") {
        out.clears.push({ t: e.t, seq: e.seq, streamId: d.streamId });
        pendingPlay.delete(d.streamId);
      }
    } else if (e.kind === "direct.session") {
      // Direct mode: the emulator's own Realtime session replaces the stream; connecting is C_start.
      const d = (e as TimelineEvent<"direct.session">).data;
      if (d.phase === "connect" && out.startUs === undefined) {
        out.startUs = e.t;
        out.startSeq = e.seq;
      }
    } else if (e.kind === "direct.audio") {
      const d = (e as TimelineEvent<"direct.audio">).data;
      if (d.event === "delta") out.allPlays.push({ t: e.t, seq: e.seq, streamId: d.streamId, durationMs: d.durationMs });
      else out.clears.push({ t: e.t, seq: e.seq, streamId: d.streamId });
    } else if (e.kind === "audio.queued") {
      const d = (e as TimelineEvent<"audio.queued">).data;
      const p = pendingPlay.get(d.streamId);
      if (p) {
        p.durationMs = d.durationMs; // the carrier's own figure wins over the payload estimate
        if (d.silent) p.silent = true;
        pendingPlay.delete(d.streamId);
      }
    } else if (e.kind === "caller.utterance") {
      const d = (e as TimelineEvent<"caller.utterance">).data;
      const u = utterance(d.index);
      if (d.bargeIn) u.bargeIn = true;
      if (d.phase === "start" && u.onUs === undefined) {
        u.onUs = e.t;
        u.onSeq = e.seq;
      } else if (d.phase === "end" && u.endUs === undefined) {
        u.endUs = u.boundary ? sentAt(u.boundary, u.boundary.frame) : e.t;
        u.endSeq = e.seq;
      }
    } else if (e.kind === "caller.speech-end") {
      const d = (e as TimelineEvent<"caller.speech-end">).data;
      const u = utterance(d.index);
      if (!u.boundary) {
        u.boundary = { frame: d.frame, frameMs: d.frameMs, endOffsetMs: d.endOffsetMs, fromFrame: d.fromFrame, sentUs: d.sentUs };
        // C_end is the instant the frame was handed to the socket, not when the end was noted.
        const at = sentAt(u.boundary, d.frame);
        if (at !== undefined) u.endUs = at;
      }
    }
  }
  out.utterances = [...byIndex.values()].sort((a, b) => a.index - b.index);
  out.plays = out.allPlays.filter((p) => !p.silent);
  return out;
}
