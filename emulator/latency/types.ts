// Shapes of the latency figures (openai-realtime.md §12.3). Times inside are µs on the clock of the
// side that recorded them (carrier or stub, never mixed: §12.3.1); metrics are reported in ms.

/**
 * Stub-side timestamps of one caller turn and the response that answered it (§12.3.2), as the stub
 * records them (emulator/realtime/record.ts `StubTurn` extends this). Index 0 is the greeting,
 * utterances count from 1 in the order the stub detected (VAD) or the client committed them (manual
 * turns), matching the carrier's utterance n (§12.3.4).
 */
export interface StubTurnLike {
  index: number;
  /** S_on: stub receives the append holding the detected speech onset. */
  sOnUs?: number;
  /** S_started: stub sends `input_audio_buffer.speech_started`. */
  sStartedUs?: number;
  /** S_end: stub receives the append holding the detected speech end (manual turns: the commit). */
  sEndUs?: number;
  /** S_stopped: stub sends `input_audio_buffer.speech_stopped` (diagnostic). */
  sStoppedUs?: number;
  /** S_first: stub sends the first `response.output_audio.delta` of the reply. */
  sFirstUs?: number;
  /** K* = silence_duration_ms (VAD turns) + the scripted response delay (§12.3.3). */
  configuredThinkMs: number;
  /**
   * VAD turns: the sample-accurate end of speech on the input timeline (just after the last speech
   * sample) and the span of the append that held it (received at `sEndUs`).
   */
  speechEnd?: { endMs: number; appendFromMs: number; appendToMs: number };
  /** VAD turns: the hangover in force, and the append that completed it (received at `sUs`, ending at `appendToMs`). */
  hangover?: { ms: number; sUs: number; appendToMs: number };
  /** The answering response's scripted delay. */
  responseDelayMs?: number;
  /** The answering response was cancelled (barge-in or `response.cancel`). */
  cancelled: boolean;
  /** This turn's speech started while a reply was still being generated or, by its duration, still playing. */
  bargeIn: boolean;
  /** How the turn began; the stub marks its greeting "greeting" (no caller speech). */
  kind?: string;
}

/** What the stub recorded for the session that served this call (only `turns` is read). */
export interface StubRecordLike {
  turns: readonly StubTurnLike[];
}

export interface LatencyOptions {
  /** §12.3.4 missing reply: no `playAudio` within this long of C_end(n). Default 10 000 ms. */
  missingReplyMs?: number;
  /** §12.3.4 barge-in without `clear` within this long of C_on(n). Default 5 000 ms. */
  missingClearMs?: number;
  /** Duration of one inbound append, for the E(n) consistency check (§12.3.4). Default 20 ms (one frame). */
  appendMs?: number;
  /** Tolerance added to `appendMs` in the consistency check. Default 5 ms (§12.3.4). */
  consistencyToleranceMs?: number;
  /**
   * How far apart (modulo whole frames) the carrier's and the stub's speech ends may be and still name
   * the same sample. Default 4 ms (a transcoding hop smears a boundary by a fraction of that).
   */
  boundaryToleranceMs?: number;
  /**
   * The stated measurement error of B(n), ms. A B below −this is impossible (causality: C_end precedes
   * S_end, S_first precedes C_play) and makes the turn a harness error instead of a figure. Default 1 ms.
   */
  overheadErrorMs?: number;
  /**
   * Set when the audio the model heard is not the caller's audio as sent (the bridge mangled it; the
   * caller of computeCallLatency judges that). A speech-end mismatch is then the bridge's doing: the
   * turn is `unmeasured` with this reason, not a harness error.
   */
  upstreamAltered?: string;
  /**
   * A downstream gap counts as an underrun when the play-out queue stayed empty longer than this.
   * Default 20 ms: the carrier plays whole 20 ms frames, so a shortfall under one frame is inaudible.
   */
  underrunMinMs?: number;
}

export type TurnKind = "turn" | "barge-in";

export type TurnFailure =
  /** No playAudio within `missingReplyMs` of C_end(n) (and before the next utterance started). */
  | "missing-reply"
  /** Barge-in without `clear` within `missingClearMs` of C_on(n). */
  | "missing-clear"
  /** The utterance never ended on the carrier (call ended mid-utterance). */
  | "incomplete-utterance";

export interface TurnLatency {
  /** Index of the caller utterance (as in `caller.utterance`). */
  index: number;
  kind: TurnKind;
  /** Carrier timestamps (µs). */
  cOnUs?: number;
  cEndUs?: number;
  /** The reply's first audible playAudio (what the caller hears first). */
  cPlayUs?: number;
  /**
   * The reply's first playAudio, audible or not: the counterpart of the stub's S_first (its first delta),
   * so a reply that opens with silence does not read as the bridge's delay. Equals cPlayUs when it opens with speech.
   */
  cReplyUs?: number;
  cClearUs?: number;
  /** L(n) = C_play(n) − C_end(n), ms. Ordinary turns only. */
  turnMs?: number;
  /** I(n) = C_clear(n) − C_on(n), ms. Barge-in turns only. */
  bargeInMs?: number;
  /** K(n) = S_first(n) − S_end(n), ms (stub runs, matched turns). */
  thinkMs?: number;
  /** K* from the stub's configuration, ms. */
  configuredThinkMs?: number;
  /** B(n) = L(n) − K(n), ms. */
  bridgeOverheadMs?: number;
  /** E(n) = K(n) − K*, ms (diagnostic). */
  pacingExcessMs?: number;
  /** D(n) = S_started(n) − S_on(n), ms (diagnostic, barge-in turns). */
  onsetDetectMs?: number;
  /** I(n) − D(n), ms (diagnostic, barge-in turns). */
  bridgeBargeInOverheadMs?: number;
  /** E(n) above one append + tolerance: audio after the speech end reached the stub late or in bursts. */
  pacingFlag?: boolean;
  /** Expected think time of this turn: the hangover's audio span (whole appends) + the response delay, ms. */
  expectedThinkMs?: number;
  /** Stub timestamps (µs, stub clock): S_end, S_first, and the receipt of the append that completed the hangover. */
  sEndUs?: number;
  sFirstUs?: number;
  sHangUs?: number;
  /** Carrier send instant of the frame that carried the end of the hangover audio (µs). */
  cHangUs?: number;
  /**
   * The points the turn's figures come from, ms on each side's own clock (C_* carrier, S_* stub):
   * B = (C_first − C_end) − (S_first − S_end); C_first is the reply's first playAudio (L counts to the first audible one).
   */
  points?: TurnPoints;
  /** Where each side found the end of speech (stub runs): see emulator/latency/boundary.ts. */
  boundary?: { carrierFrame: number; frame: number; carrierEndMs: number; stubEndMs: number; deltaMs: number; matched: boolean };
  /** No figure because of the bridge (it altered the audio, so no speech end can be matched): the reason. */
  unmeasured?: string;
  /** The harness could not measure this turn soundly (e.g. a negative B beyond the stated error): no figure, the reason. */
  harnessError?: string;
  failure?: TurnFailure;
  /** Timeline seqs of the events the figures come from (for evidence). */
  evidence: number[];
}

export interface TurnPoints {
  cEndMs?: number;
  cFirstMs?: number;
  sEndMs?: number;
  sFirstMs?: number;
}

export interface DownstreamGap {
  streamId: string;
  /** When the queue ran dry (µs, carrier clock). */
  atUs: number;
  /** How long it stayed dry before the next playAudio arrived, ms. */
  gapMs: number;
  /** Seq of the playAudio frame that ended the gap. */
  seq: number;
}

export interface JitterDown {
  gaps: DownstreamGap[];
  count: number;
  totalMs: number;
  maxMs: number;
  /** playAudio frames whose duration could not be known (no `audio.queued`, unparsable payload). */
  unknownDurationFrames: number;
}

/** §12.3.5: nearest-rank percentiles over the successful samples. */
export interface Percentiles {
  n: number;
  failures: number;
  min?: number;
  max?: number;
  mean?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  /** p95 with N < 20 and p99 with N < 100 are printed but flagged. */
  lowN: { p95: boolean; p99: boolean };
}

export interface CallLatency {
  callId: string;
  /** C_start (µs), the carrier sent the first `start`. */
  cStartUs?: number;
  /** G = C_play(0) − C_start, ms; undefined when the bridge does not greet. */
  greetingMs?: number;
  turns: TurnLatency[];
  /** Turns the harness could not measure soundly (`harnessError`): excluded from every percentile. */
  harnessErrors: number;
  /** The stated measurement error of B(n), ms (LatencyOptions.overheadErrorMs). */
  overheadErrorMs: number;
  /** Whether stub-side metrics (K, B, E, D) are valid for this call. */
  stub: { present: boolean; valid: boolean; reason?: string; carrierTurns: number; stubTurns: number };
  jitterDown: JitterDown;
  summary: {
    turn: Percentiles;
    bridgeOverhead: Percentiles;
    think: Percentiles;
    pacingExcess: Percentiles;
    bargeIn: Percentiles;
    onsetDetect: Percentiles;
    bridgeBargeInOverhead: Percentiles;
  };
}
