// The carrier's public surface: what `bwemu call`, the conformance runner and tests use to place
// calls. The implementation (`carrier.ts`, verb executors, webhook client, stream client) follows
// bandwidth.md; this file only fixes the shapes the rest of bwemu codes against.

import type { Clock } from "../clock.js";
import type { Timeline } from "../timeline.js";
import type { MediaFormat, StreamMode, StreamTracks } from "../protocol/media-stream.js";

export interface Credentials {
  username: string;
  password: string;
}

/** Application and emulator settings (spec §9: every decision is a setting). */
export interface CarrierSettings {
  accountId: string;
  applicationId: string;
  /** Base of `callUrl` and of the emulated Voice REST API, e.g. http://127.0.0.1:4010/api/v2 */
  apiBaseUrl: string;
  /** Application `CallbackCreds` sent with initiate/disconnect. */
  callbackCreds?: Credentials;
  /** Application `CallInitiatedMethod`. */
  initiateMethod: "POST" | "GET";
  initiateFallbackUrl?: string;
  /** Application `CallStatusCallbackUrl` (disconnect webhook for inbound calls). */
  statusCallbackUrl?: string;
  /** Webhook timeout (ED-8), default 15 000 ms. */
  callbackTimeoutMs: number;
  /** Max bytes read from any webhook reply before it is abandoned as too large. */
  maxResponseBytes: number;
  /** ED-11 cap on BXML documents per call, default 100. */
  bxmlRequestCap: number;
  /** ED-4 / OPEN-22 maximum call duration, default 4 h. */
  maxCallDurationMs: number;
  /** OPEN-7 WebSocket connect timeout, default 10 000 ms. */
  streamConnectTimeoutMs: number;
  /** ED-10: PCMU 8 kHz (default) or L16 16 kHz inbound frames. */
  mediaFormat: MediaFormat;
  /** Live Bandwidth puts `eventType` last in JSON frames; on by default. */
  eventTypeLast: boolean;
  /** ED-1: per-track (default) or per-stream sequence numbers. */
  sequenceScope: "track" | "stream";
  /** ED-2: close codes from the app that count as `closed`. */
  cleanCloseCodes: number[];
  /** ED-6a strict (default) / lenient; ED-6c case-insensitive enums (default true). */
  strictUnknownElements: boolean;
  /** ED-9: allow ws:// destinations (default true). */
  allowInsecureWs: boolean;
  /** Real-time pacing (default) or as fast as the socket takes frames. */
  pacing: "realtime" | "fast";
  /**
   * `--fast`: the carrier's timers (Ring, Pause, Gather/Record timeouts, DTMF gaps, the duration cap)
   * on virtual time that skips ahead whenever nothing but a timer is awaited (emulator/clock.ts
   * VirtualClock); webhooks, prompts and open media streams run at real speed. Default false.
   */
  virtualTime?: boolean;
  /**
   * ED-12: when the scripted caller starts speaking. `stream-start` (default): with the first media
   * stream's `start` frame (or a recording's start, on a call that records before any stream), so the
   * app receives the whole script; `answer`: on the call's clock from answer, as on a live call (audio
   * before the stream starts is never streamed).
   */
  callerStartsAt?: "stream-start" | "answer";
  /** Voice REST API Basic credentials (§7.1); unset = any credentials accepted. */
  apiCredentials?: Credentials;
  /** Host names besides loopback ones the Voice REST API answers (DNS-rebinding guard, emulator/api/gate.ts). */
  apiAllowedHosts?: string[];
  /** Application `CallStatusMethod` for the inbound disconnect webhook (default POST). */
  statusCallbackMethod?: "GET" | "POST";
  /** Application `CallInitiatedFallbackMethod` / `CallInitiatedFallbackCreds`. */
  initiateFallbackMethod?: "GET" | "POST";
  initiateFallbackCreds?: Credentials;
  /** ED-4 StopStream wait timeout (default: maxCallDurationMs). */
  streamWaitTimeoutMs?: number;
  /** Max bytes of a PlayAudio file (default 50 MB). */
  maxAudioBytes?: number;
  /** Largest WebSocket message accepted from a media-stream app; bigger → close 1009 (default 1 MiB). */
  mediaMaxMessageBytes?: number;
  /** ED-5 alternative: stop streams when the document is replaced by REST (default false). */
  stopStreamsOnReplace?: boolean;
  /** ED-8: resends to the same URL after a connection error (default 1). */
  callbackConnectionRetries?: number;
  /** ED-8 content-type strictness: a BXML reply without an XML Content-Type counts as not BXML (default false). */
  strictContentType?: boolean;
  /**
   * `both` (default): the call's audio both ways is recorded for reports (caller.wav, heard.wav, each
   * stream's inbound, played and raw μ-law audio). `none` (`bwemu load`): none of it is kept, only what
   * a <Record>/<StartRecording> holds while it runs; latency figures come from the timeline either way.
   */
  recordAudio?: "both" | "none";
}

/** A scripted thing to do to the call at a time after the stream starts (faults as plain data). */
export type CallAction =
  | { atMs: number; action: "hangup" } // the caller hangs up
  | { atMs: number; action: "dtmf"; digits: string; gapMs?: number }
  | { atMs: number; action: "redirect"; redirectUrl: string } // REST updateCall state=active
  | { atMs: number; action: "send-unknown-event" } // a frame with an unknown eventType
  | { atMs: number; action: "send-malformed-frame" } // a non-JSON text frame
  | { atMs: number; action: "send-binary-frame" }
  | { atMs: number; action: "drop-socket" } // TCP drop, no close frame
  | { atMs: number; action: "burst-media"; durationMs: number } // N ms of frames at once
  /** The carrier ends the call with a scenario cause (§6.6: account-limit, node-capacity-exceeded, error, unknown…). */
  | { atMs: number; action: "carrier-end"; cause: string; errorMessage?: string };

/** The caller's audio: a WAV file, or a script of utterances and silences. */
export type CallerAudio =
  | { wav: string }
  | { script: CallerUtterance[]; tailSilenceMs?: number }
  | { silence: true };

export interface CallerUtterance {
  /** WAV file of the utterance (any common format; converted to the stream format). */
  wav: string;
  /** Silence before it starts (after the stream starts, or after the previous reply played). */
  silenceBeforeMs?: number;
  /** `after-reply` waits for the previous reply to play out (+500 ms), §12.3.4; `barge-in` starts `offsetMs` after the first playAudio of the reply. */
  start?: { kind: "after-silence" } | { kind: "after-reply"; timeoutMs?: number } | { kind: "barge-in"; offsetMs: number };
  /**
   * A short clip said just before the utterance's speech (`bwemu load` opens every utterance with
   * the call's signature): spliced in at the start of the 20 ms frame where the speech begins, padded
   * with silence to whole frames. The WAV's audio stays shared between calls; only the clip is the call's own.
   */
  prefix?: CallerSamples;
}

/** Caller audio already in memory: mono samples at any rate (converted to the stream format). Read-only. */
export interface CallerSamples {
  readonly pcm: Int16Array;
  readonly sampleRate: number;
}

export interface PlaceCallOptions {
  /** The app's initiate URL (CallInitiatedCallbackUrl). */
  appUrl: string;
  from?: string;
  to?: string;
  caller?: CallerAudio;
  /** Scripted caller DTMF for Gather/StartGather, e.g. "1234#"; `w` = 0.5 s pause. */
  dtmf?: string;
  /** Hang the call up (caller side) after this long; default: settings.maxCallDurationMs. */
  maxDurationMs?: number;
  actions?: CallAction[];
  /** Force the next StartStream to be rejected with this cause (stream.rejected.survives). */
  forceStreamRejection?: "error" | "connection-error";
  /** Connect the media stream without the destination credentials (stream.connect.auth). */
  omitStreamAuth?: boolean;
  /** Send initiate without the callback credentials (answer.auth.basic). */
  omitCallbackCreds?: boolean;
  /** Tag for reports (e.g. the scenario name). */
  label?: string;
  /** Per-call overrides of the carrier settings (e.g. initiateMethod GET, eventTypeLast false). */
  settings?: Partial<CarrierSettings>;
  /** The caller hangs up this long after its scripted audio ended (default: only at maxDurationMs). */
  hangupAfterCallerMs?: number;
  /**
   * Each 20 ms tick's audio as it goes: what the caller said (at the stream rate, as sent) and what
   * the caller heard (8 kHz). Read-only (shared with other calls) and valid during the call only: copy
   * what you keep. Works without recording.
   */
  onAudioFrame?: (f: { readonly n: number; readonly inboundPcm: Int16Array; readonly outboundPcm8k: Int16Array }) => void;
  /** Simulated far ends for Transfer/Forward targets, by number or SIP URI; `*` = default. */
  farEnds?: Record<string, { outcome?: "answer" | "busy" | "no-answer" | "rejected"; ringMs?: number; hangupAfterMs?: number }>;
  /** Fixture transcript for StartTranscription (§2.23): what each track "said" and when. */
  transcript?: { track: "inbound" | "outbound"; atMs: number; durationMs?: number; text: string }[];
  /** Refer (§2.13) outcome; default: success on inbound SIP-URI calls, failure otherwise (OPEN-16). */
  referOutcome?: { status: "success" | "failure"; referSipResponseCode?: number; notifySipResponseCode?: number };
  /** Inbound: the caller's privacy flag and CNAM as `initiate` carries them (§6.4; default privacy false). */
  privacy?: boolean;
  callerDisplayName?: string;
  /** Extra initiate fields (§6.5): diversion, stirShaken, uui, sipHeaders, privacy, callerDisplayName. */
  initiate?: Record<string, unknown>;
}

export interface StreamRecord {
  streamId: string;
  name: string;
  destination: string;
  mode: StreamMode;
  tracks: StreamTracks;
  /** What the carrier sent on the inbound track, as 8 kHz PCM16 (for the report and integrity checks). */
  inboundPcm: Int16Array;
  /** The exact μ-law bytes sent on the inbound track (PCMU streams), for bit-exact checks. */
  inboundPcmu?: Uint8Array;
  /** Audio the app sent back and the carrier played, as 8 kHz PCM16, in play order. */
  playedPcm: Int16Array;
  /** Raw μ-law bytes the app sent in playAudio (for bit-exact checks), in arrival order. */
  receivedPcmu?: Uint8Array;
  closedBy?: "carrier" | "app" | "network";
  closeCode?: number;
}

/**
 * Who or what ended a call, for the reason a report prints: the app (its BXML: Hangup, the end of the
 * document, a failed webhook or invalid document), the caller or called party (a hang-up), the caller's
 * script (its audio ended, or a scripted hang-up), bwemu's own call duration limit, the far end of a
 * call the carrier placed, the app's REST request (updateCall state=completed), the carrier itself.
 */
export type EndedBy = "app" | "caller" | "caller-audio-done" | "caller-scripted" | "duration-limit" | "far-end" | "rest-api" | "carrier";

/** Answering-machine detection on an outbound call (createCall `machineDetection`, bandwidth.md §7.3). */
export interface MachineDetection {
  /** `sync`: the result travels in `answer`; `async` (Bandwidth's default): `machineDetectionComplete` to `callback`. */
  mode: "sync" | "async";
  /** What the detector concludes about the called party. */
  result: "human" | "answering-machine" | "tone-detected" | "silence" | "timeout" | "error";
  /** How long detection takes after the answer (the `duration` of the result), ms. */
  durationMs: number;
  /** `machineDetection.callbackUrl` (async mode). */
  callback?: { url: string; method: "GET" | "POST"; credentials?: Credentials };
}

export interface CallResult {
  callId: string;
  label?: string;
  /** The call's own events (a slice of the shared timeline). */
  timeline: Timeline;
  disconnectCause: string;
  errorMessage?: string;
  /** Who or what ended the call. */
  endedBy?: EndedBy;
  /** Every BXML document received, in order. */
  documents: { url: string; text: string; contentType?: string }[];
  streams: StreamRecord[];
  startedUs: number;
  endedUs: number;
}

/** A call in progress. */
export interface CallHandle {
  callId: string;
  timeline: Timeline;
  done: Promise<CallResult>;
  /** Caller hangs up now. */
  hangup(): void;
}

export interface CarrierDeps {
  clock?: Clock;
  timeline?: Timeline;
  settings?: Partial<CarrierSettings>;
  /** Seed for reproducible ids (§6.7 formats either way). */
  seed?: number;
}
