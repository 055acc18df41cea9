// Shared recording logic for <Record> and <StartRecording> (bandwidth.md §2.9, §2.11, §2.19):
// recordings are slices of the call's audio (inbound = the party, outbound = what the carrier
// plays), paused spans left out, kept in the RecordingStore and served at `mediaUrl`.

import { isoDuration, isoTime } from "../clock.js";
import type { BxmlElement } from "../bxml/model.js";
import { recordingAvailablePayload, transcriptionAvailablePayload, type RecordingInfo } from "../protocol/webhooks.js";
import type { WebhookTarget } from "../webhooks/client.js";
import { bool, creds, method, str } from "./attrs.js";
import type { VerbHost } from "./host.js";
import { recordingMediaPath, recordingMetadata } from "./recordings.js";

export interface Segment {
  inStart: number;
  outStart: number;
  inEnd?: number;
  outEnd?: number;
}

export interface ActiveRecording {
  id: string;
  startWall: Date;
  segments: Segment[];
  /** ch0 = party, ch1 = carrier audio (StartRecording multiChannel). */
  channels: 1 | 2;
  /** Include what the carrier plays (StartRecording records both sides; Record only the party). */
  bothSides: boolean;
  fileFormat: "wav" | "mp3";
  /** Lets go of the call's audio this recording held (a call that does not record keeps only this span). */
  release: () => void;
}

export async function beginRecording(call: VerbHost, o: { channels: 1 | 2; bothSides: boolean; fileFormat: "wav" | "mp3" }): Promise<ActiveRecording> {
  const audio = await call.getAudio();
  audio.startCaller("recording"); // ED-12: a recording listens to the caller
  return {
    id: call.ids.recordingId(),
    startWall: call.clock.wallNow(),
    segments: [{ inStart: audio.inboundLength(), outStart: audio.outboundLength() }],
    release: audio.keepAudio(),
    ...o,
  };
}

export function pauseRecording(call: VerbHost, r: ActiveRecording): void {
  const s = r.segments[r.segments.length - 1];
  if (!s || s.inEnd !== undefined || !call.audio) return;
  s.inEnd = call.audio.inboundLength();
  s.outEnd = call.audio.outboundLength();
}

export function resumeRecording(call: VerbHost, r: ActiveRecording): void {
  const s = r.segments[r.segments.length - 1];
  if (!call.audio || (s && s.inEnd === undefined)) return;
  r.segments.push({ inStart: call.audio.inboundLength(), outStart: call.audio.outboundLength() });
}

/** Close the recording, store it, and return the webhook fields. */
export function endRecording(call: VerbHost, r: ActiveRecording): RecordingInfo {
  pauseRecording(call, r);
  // Each segment is copied once from the call's recordings into the channels (a call may be hours
  // long; the recording is the part between its start and its end).
  const audio = call.audio;
  const spans = r.segments.map((s) => {
    const a = audio ? audio.inboundRange(s.inStart, s.inEnd ?? audio.inboundLength()) : new Int16Array(0);
    const b = audio && r.bothSides ? audio.outboundRange(s.outStart, s.outEnd ?? audio.outboundLength()) : new Int16Array(0);
    return { a, b, n: Math.max(a.length, b.length) };
  });
  r.release();
  const total = spans.reduce((n, x) => n + x.n, 0);
  const party = new Int16Array(total);
  const carrier = new Int16Array(total);
  let at = 0;
  for (const x of spans) {
    party.set(x.a, at);
    carrier.set(x.b, at);
    at += x.n;
  }
  let channels: Int16Array[];
  if (r.channels === 2) channels = [party, carrier];
  else if (r.bothSides) {
    const mix = new Int16Array(party.length);
    for (let i = 0; i < mix.length; i++) mix[i] = Math.max(-32768, Math.min(32767, party[i] + (carrier[i] ?? 0)));
    channels = [mix];
  } else channels = [party];
  const samples = channels[0].length;
  const base = call.settings.apiBaseUrl.replace(/\/$/, "");
  const info: RecordingInfo = {
    recordingId: r.id,
    mediaUrl: base + recordingMediaPath(call.settings.accountId, call.id, r.id),
    startTime: isoTime(r.startWall),
    endTime: call.now(),
    duration: isoDuration((samples / 8000) * 1e6),
    fileFormat: r.fileFormat,
    channels: r.channels,
    status: "complete",
  };
  const metadata = recordingMetadata(call.snapshot(), info);
  call.recordings.put({ callId: call.id, recordingId: r.id, channels, sampleRate: 8000, fileFormat: r.fileFormat, metadata });
  return info;
}

/** Mean absolute level of the last `ms` of the party's audio (for silenceTimeout). */
export function recentLevel(call: VerbHost, ms: number): number {
  const audio = call.audio;
  const len = audio?.inboundLength() ?? 0;
  if (!audio || len === 0) return 0;
  const pcm = audio.inboundRange(len - Math.min(len, Math.round((ms / 1000) * 8000)), len);
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += Math.abs(pcm[i]);
  return pcm.length ? sum / pcm.length : 0;
}

// ---- announcing a recording (§2.11, §2.19) ----

export function notifyTarget(call: VerbHost, el: BxmlElement, attr: string, methodAttr: string, baseUrl: string | undefined): WebhookTarget | undefined {
  const u = str(el, attr);
  if (u === undefined) return undefined;
  return { url: call.resolve(u, baseUrl), method: method(el, methodAttr), credentials: creds(el) };
}

export function recordingNotifications(call: VerbHost, el: BxmlElement, baseUrl: string | undefined, info: RecordingInfo): void {
  const available = notifyTarget(call, el, "recordingAvailableUrl", "recordingAvailableMethod", baseUrl);
  if (available) call.notify("recordingAvailable", recordingAvailablePayload(call.snapshot(), call.now(), info), available);
  const tx = notifyTarget(call, el, "transcriptionAvailableUrl", "transcriptionAvailableMethod", baseUrl);
  if (tx && bool(el, "transcribe", false)) {
    const id = `t-${call.ids.uuid()}`;
    const withTx: RecordingInfo = {
      ...info,
      transcription: { id, url: `${info.mediaUrl.replace(/\/media$/, "")}/transcription`, status: "available", completedTime: call.now() },
    };
    call.notify("transcriptionAvailable", transcriptionAvailablePayload(call.snapshot(), call.now(), withTx), tx);
  }
}

// ---- the call's background recording (<StartRecording> …, REST recording state §7.8) ----

interface Background {
  rec: ActiveRecording;
  el: BxmlElement;
  baseUrl?: string;
  paused: boolean;
}

declare module "./host.js" {
  interface VerbState {
    /** The call's one background recording (§2.19). */
    startRecording?: Background;
  }
}

export function activeRecording(call: VerbHost): Background | undefined {
  return call.verbState.startRecording;
}

export function setRecordingState(call: VerbHost, state: "paused" | "recording"): boolean {
  const b = activeRecording(call);
  if (!b) return false;
  if (state === "paused" && !b.paused) {
    pauseRecording(call, b.rec);
    b.paused = true;
  } else if (state === "recording" && b.paused) {
    resumeRecording(call, b.rec);
    b.paused = false;
  }
  return true;
}

export function stopBackgroundRecording(call: VerbHost): void {
  const b = activeRecording(call);
  if (!b) return;
  call.verbState.startRecording = undefined;
  const info = endRecording(call, b.rec);
  recordingNotifications(call, b.el, b.baseUrl, info);
}
