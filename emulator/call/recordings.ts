// Recordings the emulator keeps (Record, StartRecording): PCM in memory for the life of the process,
// served by the Voice REST API at the `mediaUrl` the recording webhooks carry (bandwidth.md §6.5,
// §7.9) as WAV (`audio/vnd.wave`) or, for fileFormat="mp3", MP3 (`audio/mpeg`), encoded once when
// the recording ends and kept.

import { encodeMp3 } from "../media/mp3.js";
import { writeWav } from "../media/wav.js";
import type { CallSnapshot, RecordingInfo } from "../protocol/webhooks.js";
import { nullWhenAbsent } from "../protocol/voice-api.js";

export interface StoredRecording {
  callId: string;
  recordingId: string;
  /** 8 kHz PCM16; one array per channel. */
  channels: Int16Array[];
  sampleRate: number;
  fileFormat: "wav" | "mp3";
  /** The recording's metadata as getCallRecording / listCallRecordings return it. */
  metadata: Record<string, unknown>;
}

export interface RecordingMedia {
  bytes: Uint8Array;
  contentType: "audio/vnd.wave" | "audio/mpeg";
  /** File extension for the recording's format: "wav" or "mp3". */
  extension: "wav" | "mp3";
}

export class RecordingStore {
  private readonly byId = new Map<string, StoredRecording>();
  private readonly encoded = new Map<string, Promise<Uint8Array>>();

  put(r: StoredRecording): void {
    this.byId.set(`${r.callId}/${r.recordingId}`, r);
    // MP3 starts encoding now (in slices) so an app that downloads right after the webhook waits less.
    if (r.fileFormat === "mp3") void this.media(r).catch(() => undefined);
  }

  get(callId: string, recordingId: string): StoredRecording | undefined {
    return this.byId.get(`${callId}/${recordingId}`);
  }

  list(callId: string): StoredRecording[] {
    return [...this.byId.values()].filter((r) => r.callId === callId);
  }

  /** Drop a call's recordings (a long-running `bwemu serve` forgets its oldest ended calls). */
  forget(callId: string): void {
    for (const [key, r] of this.byId) {
      if (r.callId !== callId) continue;
      this.byId.delete(key);
      this.encoded.delete(key);
    }
  }

  /** Every recording of every call, oldest first. */
  all(): StoredRecording[] {
    return [...this.byId.values()];
  }

  /** The file in the recording's format; MP3 is encoded once and kept. */
  async media(r: StoredRecording): Promise<RecordingMedia> {
    if (r.fileFormat === "wav") return { bytes: this.wav(r), contentType: "audio/vnd.wave", extension: "wav" };
    const key = `${r.callId}/${r.recordingId}`;
    let mp3 = this.encoded.get(key);
    if (!mp3) {
      mp3 = encodeMp3(equalLengths(r.channels), r.sampleRate);
      this.encoded.set(key, mp3);
      mp3.catch(() => this.encoded.delete(key)); // a failure is retried on the next request
    }
    return { bytes: await mp3, contentType: "audio/mpeg", extension: "mp3" };
  }

  /** The WAV bytes (mono as is; two channels interleaved). */
  wav(r: StoredRecording): Uint8Array {
    if (r.channels.length === 1) return writeWav(r.channels[0], r.sampleRate);
    const [a, b] = equalLengths(r.channels);
    const out = new Int16Array(a.length * 2);
    for (let i = 0; i < a.length; i++) {
      out[2 * i] = a[i];
      out[2 * i + 1] = b[i];
    }
    return stereoWav(out, r.sampleRate);
  }
}

/** Channels padded with silence to the longest one. */
function equalLengths(chs: Int16Array[]): Int16Array[] {
  const n = Math.max(...chs.map((c) => c.length));
  return chs.map((c) => {
    if (c.length === n) return c;
    const p = new Int16Array(n);
    p.set(c);
    return p;
  });
}

/** CallRecordingMetadata (Voice API `GET …/calls/{callId}/recordings[/{recordingId}]`). */
export function recordingMetadata(c: CallSnapshot, r: RecordingInfo): Record<string, unknown> {
  return nullWhenAbsent({
    applicationId: c.applicationId,
    accountId: c.accountId,
    callId: c.callId,
    parentCallId: c.parentCallId,
    recordingId: r.recordingId,
    to: c.to,
    from: c.from,
    transferCallerId: c.transferCallerId,
    transferTo: c.transferTo,
    duration: r.duration,
    direction: c.direction,
    channels: r.channels,
    startTime: r.startTime,
    endTime: r.endTime,
    fileFormat: r.fileFormat,
    status: r.status ?? "complete",
    mediaUrl: r.mediaUrl,
    transcription: null,
  });
}

export function recordingMediaPath(accountId: string, callId: string, recordingId: string): string {
  return `/accounts/${accountId}/calls/${callId}/recordings/${recordingId}/media`;
}

/** A 2-channel PCM16 WAV of interleaved samples. */
export function stereoWav(interleaved: Int16Array, sampleRate: number): Uint8Array {
  return writeWav(interleaved, sampleRate, { channels: 2 });
}
