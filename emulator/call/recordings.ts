// Recordings the emulator keeps (Record, StartRecording): PCM in memory, served as WAV by the Voice
// REST API at the `mediaUrl` the recording webhooks carry (bandwidth.md §6.5, §7.9).

import { writeWav } from "../media/wav.js";

export interface StoredRecording {
  callId: string;
  recordingId: string;
  /** 8 kHz PCM16; one array per channel. */
  channels: Int16Array[];
  sampleRate: number;
}

export class RecordingStore {
  private readonly byId = new Map<string, StoredRecording>();

  put(r: StoredRecording): void {
    this.byId.set(`${r.callId}/${r.recordingId}`, r);
  }

  get(callId: string, recordingId: string): StoredRecording | undefined {
    return this.byId.get(`${callId}/${recordingId}`);
  }

  list(callId: string): StoredRecording[] {
    return [...this.byId.values()].filter((r) => r.callId === callId);
  }

  /** The WAV bytes (mono as is; two channels interleaved). */
  wav(r: StoredRecording): Uint8Array {
    if (r.channels.length === 1) return writeWav(r.channels[0], r.sampleRate);
    const [a, b] = r.channels;
    const n = Math.max(a.length, b.length);
    const out = new Int16Array(n * 2);
    for (let i = 0; i < n; i++) {
      out[2 * i] = a[i] ?? 0;
      out[2 * i + 1] = b[i] ?? 0;
    }
    return stereoWav(out, r.sampleRate);
  }
}

export function recordingMediaPath(accountId: string, callId: string, recordingId: string): string {
  return `/accounts/${accountId}/calls/${callId}/recordings/${recordingId}/media`;
}

/** A 2-channel PCM16 WAV (writeWav is mono): canonical 44-byte header, interleaved samples. */
export function stereoWav(interleaved: Int16Array, sampleRate: number): Uint8Array {
  const dataBytes = interleaved.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const dv = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  dv.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true);
  dv.setUint16(22, 2, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * 4, true);
  dv.setUint16(32, 4, true);
  dv.setUint16(34, 16, true);
  ascii(36, "data");
  dv.setUint32(40, dataBytes, true);
  for (let i = 0; i < interleaved.length; i++) dv.setInt16(44 + 2 * i, interleaved[i], true);
  return out;
}
