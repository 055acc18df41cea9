// Wire shapes of Bandwidth's media-stream WebSocket (bandwidth.md §4), defined once for the
// emulator, the suites and the tests. Encoders and validators live beside this file
// (`media-stream-codec.ts`).

export type TrackName = "inbound" | "outbound";
export type StreamTracks = "inbound" | "outbound" | "both";
export type StreamMode = "unidirectional" | "bidirectional";

export interface MediaFormat {
  encoding: "PCMU" | "L16";
  sampleRate: 8000 | 16000;
}

export interface StreamMetadata {
  accountId: string;
  callId: string;
  streamId: string;
  streamName: string;
  /** Objects on the wire, `inbound` before `outbound` (§4.2). */
  tracks: { name: TrackName; mediaFormat: MediaFormat }[];
}

/** carrier → app, always first (§4.2). `streamParams` only when the StartStream had StreamParams. */
export interface StartMessage {
  eventType: "start";
  metadata: StreamMetadata;
  streamParams?: Record<string, string>;
}

/** carrier → app, one per track per 20 ms (§4.3). `sequenceNumber` is a decimal string from "1". */
export interface MediaMessage {
  eventType: "media";
  track: TrackName;
  payload: string;
  sequenceNumber: string;
}

/** carrier → app, only when the carrier ends the stream (§4.5). */
export interface StopMessage {
  eventType: "stop";
  metadata: StreamMetadata;
}

/** The `media.contentType` values the carrier accepts in `playAudio` (§4.6). */
export const PLAY_AUDIO_CONTENT_TYPES = [
  "audio/pcmu",
  "audio/pcm;rate=8000;channels=1;bit-depth=16;endian=little;encoding=signed",
  "audio/pcm;rate=16000;channels=1;bit-depth=16;endian=little;encoding=signed",
  "audio/pcm;rate=24000;channels=1;bit-depth=16;endian=little;encoding=signed",
] as const;
export type PlayAudioContentType = (typeof PLAY_AUDIO_CONTENT_TYPES)[number];

/** app → carrier (bidirectional only). */
export interface PlayAudioMessage {
  eventType: "playAudio";
  media: { contentType: string; payload: string };
}

/** app → carrier: drop queued, unplayed audio. */
export interface ClearMessage {
  eventType: "clear";
}

export type AppToCarrierMessage = PlayAudioMessage | ClearMessage;

/** 20 ms frames: 160 bytes of μ-law at 8 kHz, or 640 bytes of L16 at 16 kHz (ED-10). */
export const FRAME_MS = 20;
