// Shapes shared by the load runner's parts: what a call is asked to do (CallSpec), what it came to
// (CallOutcome), what a shard reports about itself every window (ShardTick), and the run's options.
// Everything here crosses a worker-thread boundary, so it is plain data (structured-clone safe).

import type { CallerAudio, CarrierSettings } from "../../emulator/call/types.js";
import type { LatenessStats } from "../../emulator/media/scheduler.js";
import type { CrossTalkFinding, CrossTalkMode } from "./crosstalk.js";

/** Why a call failed; one counter each in the live line, the JSON and the Artillery metrics. */
export const FAILURE_REASONS = [
  /** The initiate webhook failed (refused, timed out, reset) or returned no BXML. */
  "no-bxml",
  /** BXML arrived but the media stream could not be connected. */
  "stream-connect",
  /** The app (or the network) closed the media stream abnormally mid-call. */
  "stream-reset",
  /** A caller turn got no reply audio in time. */
  "missing-reply",
  /** The call ended with a cause other than a normal hang-up (error, timeout, …). */
  "call-error",
  /** An error-level finding about the app (protocol violation). */
  "app-error",
  /** The call's caller heard another call's signature: audio reached the wrong call (crosstalk.ts). */
  "cross-talk",
  /** The worker thread holding the call died; the call's fate is unknown. */
  "worker-died",
  /** bwemu itself failed on this call (a bug): reported, never blamed on the app. */
  "harness",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** One call to place: everything a shard needs, as data. */
export interface CallSpec {
  /** Run-unique index (0, 1, 2, …): the order calls were started in. */
  index: number;
  appUrl: string;
  caller: CallerAudio;
  dtmf?: string;
  maxDurationMs: number;
  hangupAfterCallerMs?: number;
  settings: Partial<CarrierSettings>;
  /** Turns with no reply count as failures (a conversation was asked for). */
  conversation: boolean;
  /** The call's signature (crosstalk.ts): the shard opens each of `caller`'s utterances with it, and judges its caller's downlink for others'. */
  signature?: number;
}

/** What a call came to, reduced to what the run aggregates (the call's timeline stays in the shard). */
export interface CallOutcome {
  index: number;
  callId: string;
  shard: number;
  /** Carrier-clock µs (realClock: the same timeline in every thread). */
  startedUs: number;
  endedUs: number;
  ok: boolean;
  reason?: FailureReason;
  /** One line, app text escaped by the presenter. */
  detail?: string;
  /** L(n) per answered turn, ms. */
  turnMs: number[];
  /** B(n) = L(n) − K(n) per turn where the stub's record matched, ms. */
  bridgeOverheadMs: number[];
  /** Hung up by the run's end (or Ctrl-C) rather than by its own script. */
  cut: boolean;
  /** bwemu's own pacing lateness on this call's streams (worst window p99, overall max). */
  lateness?: LatenessStats;
  /** The signatures its caller heard (calls placed with a signature). */
  crossTalk?: CrossTalkFinding;
}

/** A shard's view of itself over one window. */
export interface ShardTick {
  shard: number;
  atUs: number;
  /** Calls in progress on this shard. */
  active: number;
  /** The shard's pacing-scheduler lateness over the window: HDR histogram (µs), compressed base64. */
  lateness: string;
  /** Event-loop utilisation of the shard's thread over the window (0..1): its CPU share. */
  elu: number;
}

export interface LoadOptions {
  appUrl: string;
  /** Concurrent calls to hold (with `durationMs`), or calls to place in all (without). */
  calls: number;
  /** Calls started per second at most (default: as fast as `rampMs` allows, else 10/s). */
  ratePerS?: number;
  /** Keep `calls` concurrent calls up for this long (ended calls are replaced), then end on time. */
  durationMs?: number;
  /** Reach `calls` concurrent calls linearly over this long. */
  rampMs?: number;
  caller: CallerAudio;
  dtmf?: string;
  /** Per-call cap (the caller hangs up). */
  maxCallMs: number;
  hangupAfterCallerMs?: number;
  conversation: boolean;
  settings: Partial<CarrierSettings>;
  /** Worker threads (default: available cores); 0 = every call on the main thread. */
  workers: number;
  /** Aggregation window (default 1000 ms). */
  windowMs?: number;
  /** Give each call a signature and judge cross-talk (crosstalk.ts); `caller` must be speech or a WAV. Off when absent. */
  crossTalk?: CrossTalkMode;
}

/** A call that failed before it could be judged (bwemu's side, or its shard died): no turns, no figures. */
export function failedOutcome(o: { index: number; callId?: string; shard: number; startedUs: number; endedUs: number; reason: FailureReason; detail: string; cut?: boolean }): CallOutcome {
  return { index: o.index, callId: o.callId ?? "", shard: o.shard, startedUs: o.startedUs, endedUs: o.endedUs, ok: false, reason: o.reason, detail: o.detail, turnMs: [], bridgeOverheadMs: [], cut: o.cut ?? false };
}
