// Recorded runs as plain data: what a case's check reads (a call's timeline, BXML, stream audio and
// the stub's session records) written as JSON and read back, so each case can be unit-tested over a
// small recorded call instead of a whole run (h2spec: one case, one requirement, its own fixtures).
// `recordObservation` writes one from a real run; `recordedContext` rebuilds the CaseContext a check
// is judged in. Audio is base64 (PCM16 little-endian, or the raw μ-law bytes).

import type { CallResult, StreamRecord } from "../emulator/call/types.js";
import type { StubSessionRecord } from "../emulator/realtime/record.js";
import { Timeline, type Lane, type TimelineEvent, type TimelineEventMap, type TimelineKind } from "../emulator/timeline.js";
import type { CallObservation, CaseContext, CaseSettings, ScenarioRun } from "./types.js";
import type { ScenarioId } from "./scenarios.js";
import { pcm16FromBytesLE, pcm16ToBytesLE } from "../emulator/media/pcm16.js";

/** One timeline event; `t` in µs (default: 20 ms after the previous one). */
export type RecordedEvent = { [K in TimelineKind]: { kind: K; data: TimelineEventMap[K]; t?: number; lane?: Lane; callId?: string } }[TimelineKind];

export interface RecordedStream extends Omit<StreamRecord, "inboundPcm" | "inboundPcmu" | "playedPcm" | "receivedPcmu"> {
  /** base64 PCM16 LE, 8 kHz. */
  inboundPcm?: string;
  playedPcm?: string;
  /** base64 μ-law bytes. */
  inboundPcmu?: string;
  receivedPcmu?: string;
}

export interface RecordedSession extends Partial<Omit<StubSessionRecord, "appendedAudio" | "sentAudio">> {
  /** base64 of the appended and sent audio bytes. */
  appendedAudio?: string;
  sentAudio?: string;
}

export interface RecordedCall {
  callId?: string;
  disconnectCause?: string;
  errorMessage?: string;
  /** The BXML answers; a string is one document at http://127.0.0.1/voice. */
  documents?: (string | { url: string; text: string; contentType?: string })[];
  events?: RecordedEvent[];
  streams?: RecordedStream[];
  sessions?: RecordedSession[];
  startedUs?: number;
  endedUs?: number;
}

export interface RecordedRun {
  settings?: Partial<CaseSettings>;
  runs: Partial<Record<ScenarioId, RecordedCall[] | { calls: RecordedCall[]; harnessError?: string; cutShort?: string; limited?: string }>>;
}

export const DEFAULT_SETTINGS: CaseSettings = { overheadP95Ms: 50, turnExtraP95Ms: 150, callbackTimeoutMs: 15_000, callbackAuth: false, realtime: "stub", concurrentCalls: 10 };

const b64 = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString("base64");
const bytes = (s: string | undefined): Uint8Array => (s ? new Uint8Array(Buffer.from(s, "base64")) : new Uint8Array(0));
const pcm16 = (s: string | undefined): Int16Array => pcm16FromBytesLE(bytes(s));
const pcm16b64 = (p: Int16Array): string => b64(pcm16ToBytesLE(p));

/** A recorded call as the observation a check reads. */
export function observation(rec: RecordedCall, n = 0): CallObservation {
  const callId = rec.callId ?? `c-recorded-${n}`;
  const timeline = new Timeline();
  let t = rec.startedUs ?? 0;
  for (const e of rec.events ?? []) {
    t = e.t ?? t + 20_000;
    timeline.append(e.kind, e.data as never, { t, lane: e.lane ?? "carrier", callId: e.callId ?? callId });
  }
  const call: CallResult = {
    callId,
    timeline,
    disconnectCause: rec.disconnectCause ?? "hangup",
    errorMessage: rec.errorMessage,
    documents: (rec.documents ?? []).map((d) => (typeof d === "string" ? { url: "http://127.0.0.1/voice", text: d } : d)),
    streams: (rec.streams ?? []).map((s) => ({
      ...s,
      inboundPcm: pcm16(s.inboundPcm),
      playedPcm: pcm16(s.playedPcm),
      inboundPcmu: s.inboundPcmu === undefined ? undefined : bytes(s.inboundPcmu),
      receivedPcmu: s.receivedPcmu === undefined ? undefined : bytes(s.receivedPcmu),
    })),
    startedUs: rec.startedUs ?? 0,
    endedUs: rec.endedUs ?? t,
  };
  const sessions = (rec.sessions ?? []).map((s, i): StubSessionRecord => {
    const appended = bytes(s.appendedAudio);
    const sent = bytes(s.sentAudio);
    return {
      id: `sess-${i}`,
      dialect: "ga",
      openedUs: 0,
      model: "gpt-realtime",
      sessionUpdates: [],
      appendCount: 0,
      clientEvents: [],
      serverEvents: [],
      turns: [],
      truncates: [],
      errors: [],
      headers: {},
      ...s,
      appendedAudio: () => appended,
      sentAudio: () => sent,
    };
  });
  return { call, sessions };
}

/** The CaseContext a check is judged in, from recorded runs. */
export function recordedContext(run: RecordedRun): CaseContext {
  const runs = new Map<ScenarioId, ScenarioRun>();
  for (const [id, r] of Object.entries(run.runs) as [ScenarioId, NonNullable<RecordedRun["runs"][ScenarioId]>][]) {
    const spec = Array.isArray(r) ? { calls: r } : r;
    runs.set(id, { scenario: id, harnessError: spec.harnessError, cutShort: spec.cutShort, limited: spec.limited, calls: spec.calls.map((c, i) => observation(c, i)) });
  }
  return { settings: { ...DEFAULT_SETTINGS, ...run.settings }, run: (id) => runs.get(id) };
}

/** A real observation as a recorded call (for a fixture file): the call's own events, its audio, its sessions. */
export function recordObservation(o: CallObservation): RecordedCall {
  const { call } = o;
  return {
    callId: call.callId,
    disconnectCause: call.disconnectCause,
    errorMessage: call.errorMessage,
    documents: call.documents,
    startedUs: call.startedUs,
    endedUs: call.endedUs,
    events: call.timeline.events
      .filter((e) => e.callId === undefined || e.callId === call.callId)
      .map((e: TimelineEvent) => ({ kind: e.kind, data: e.data, t: e.t, lane: e.lane }) as RecordedEvent),
    streams: call.streams.map((s) => ({
      ...s,
      inboundPcm: pcm16b64(s.inboundPcm),
      playedPcm: pcm16b64(s.playedPcm),
      inboundPcmu: s.inboundPcmu && b64(s.inboundPcmu),
      receivedPcmu: s.receivedPcmu && b64(s.receivedPcmu),
    })),
    sessions: o.sessions.map(({ appendedAudio, sentAudio, ...rest }) => ({ ...rest, appendedAudio: b64(appendedAudio()), sentAudio: b64(sentAudio()) })),
  };
}
