// Shared recording logic for <Record> and <StartRecording> (bandwidth.md §2.9, §2.11, §2.19):
// recordings are slices of the call's audio (inbound = the party, outbound = what the carrier
// plays), paused spans left out, kept in the RecordingStore and served at `mediaUrl`.

import { isoDuration, isoTime } from "../clock.js";
import type { RecordingInfo } from "../protocol/webhooks.js";
import type { Call } from "./call.js";
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
}

export async function beginRecording(call: Call, o: { channels: 1 | 2; bothSides: boolean; fileFormat: "wav" | "mp3" }): Promise<ActiveRecording> {
  const audio = await call.getAudio();
  return {
    id: call.ctx.ids.recordingId(),
    startWall: call.ctx.clock.wallNow(),
    segments: [{ inStart: audio.inboundPcm().length, outStart: audio.outboundPcm().length }],
    ...o,
  };
}

export function pauseRecording(call: Call, r: ActiveRecording): void {
  const s = r.segments[r.segments.length - 1];
  if (!s || s.inEnd !== undefined || !call.audio) return;
  s.inEnd = call.audio.inboundPcm().length;
  s.outEnd = call.audio.outboundPcm().length;
}

export function resumeRecording(call: Call, r: ActiveRecording): void {
  const s = r.segments[r.segments.length - 1];
  if (!call.audio || (s && s.inEnd === undefined)) return;
  r.segments.push({ inStart: call.audio.inboundPcm().length, outStart: call.audio.outboundPcm().length });
}

/** Close the recording, store it, and return the webhook fields. */
export function endRecording(call: Call, r: ActiveRecording): RecordingInfo {
  pauseRecording(call, r);
  const inbound = call.audio?.inboundPcm() ?? new Int16Array(0);
  const outbound = call.audio?.outboundPcm() ?? new Int16Array(0);
  const cut = (src: Int16Array, a: number, b: number) => src.subarray(Math.min(a, src.length), Math.min(b, src.length));
  const chIn: Int16Array[] = [];
  const chOut: Int16Array[] = [];
  for (const s of r.segments) {
    const a = cut(inbound, s.inStart, s.inEnd ?? inbound.length);
    const b = cut(outbound, s.outStart, s.outEnd ?? outbound.length);
    const n = Math.max(a.length, r.bothSides ? b.length : 0);
    const pa = new Int16Array(n);
    pa.set(a);
    const pb = new Int16Array(n);
    if (r.bothSides) pb.set(b);
    chIn.push(pa);
    chOut.push(pb);
  }
  const join = (xs: Int16Array[]) => {
    const out = new Int16Array(xs.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of xs) {
      out.set(x, o);
      o += x.length;
    }
    return out;
  };
  const party = join(chIn);
  const carrier = join(chOut);
  let channels: Int16Array[];
  if (r.channels === 2) channels = [party, carrier];
  else if (r.bothSides) {
    const mix = new Int16Array(party.length);
    for (let i = 0; i < mix.length; i++) mix[i] = Math.max(-32768, Math.min(32767, party[i] + (carrier[i] ?? 0)));
    channels = [mix];
  } else channels = [party];
  const samples = channels[0].length;
  const base = call.ctx.settings.apiBaseUrl.replace(/\/$/, "");
  const info: RecordingInfo = {
    recordingId: r.id,
    mediaUrl: base + recordingMediaPath(call.ctx.settings.accountId, call.id, r.id),
    startTime: isoTime(r.startWall),
    endTime: call.now(),
    duration: isoDuration((samples / 8000) * 1e6),
    fileFormat: r.fileFormat,
    channels: r.channels,
    status: "complete",
  };
  const metadata = recordingMetadata(call.snapshot(), info);
  call.ctx.recordings.put({ callId: call.id, recordingId: r.id, channels, sampleRate: 8000, fileFormat: r.fileFormat, metadata });
  return info;
}

/** Mean absolute level of the last `ms` of the party's audio (for silenceTimeout). */
export function recentLevel(call: Call, ms: number): number {
  const pcm = call.audio?.inboundPcm();
  if (!pcm || pcm.length === 0) return 0;
  const n = Math.min(pcm.length, Math.round((ms / 1000) * 8000));
  let sum = 0;
  for (let i = pcm.length - n; i < pcm.length; i++) sum += Math.abs(pcm[i]);
  return n ? sum / n : 0;
}
