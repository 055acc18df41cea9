// The run result: everything one `bwemu test` run decided and recorded, and the ONLY thing the
// report renderers read. The conformance runner produces it; `reports/run-result.schema.json` is the
// same contract as JSON Schema (tests keep the two in step), `validate.ts` checks a value against it.
//
// Conventions: durations in ms (floats allowed), monotonic timestamps `t` in µs exactly as the
// timeline recorded them, wall times as ISO 8601 UTC strings. Everything that came from the bridge
// (BXML, headers, bodies, error messages, frame text) is data: renderers escape it, never trust it.
// Sources: conformance.md "Case model" and verdicts; prior-art.md §6 (ids, teardown, baselines,
// repeat, latency percentiles).

import type { Diagnostic } from "../emulator/bxml/model.js";
import type { Lane } from "../emulator/timeline.js";
import { aggregate } from "../emulator/latency/percentiles.js";

export const SCHEMA_VERSION = 1 as const;

/** conformance.md "Verdicts", in the order reports list them. */
export const VERDICTS = ["pass", "fail", "non-strict", "info", "unimplemented", "skipped", "error"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const LEVELS = ["MUST", "SHOULD", "INFO"] as const;
export type CaseLevel = (typeof LEVELS)[number];

export const REPORTERS = ["html", "json", "junit", "sarif", "markdown", "github"] as const;
export type ReporterName = (typeof REPORTERS)[number];

/**
 * One timeline event as recorded (the shape of `emulator/timeline.ts` `TimelineEvent`, widened so a
 * result file written by a newer bwemu with unknown kinds still loads). `Timeline.events` is
 * assignable to `RecordedEvent[]` as is.
 */
export interface RecordedEvent {
  seq: number;
  /** Monotonic µs on the recording process's clock. */
  t: number;
  lane: Lane;
  kind: string;
  callId?: string;
  data: object;
}

/**
 * Report-side summary of a run of consecutive media frames on one stream, direction and track.
 * Producers may store it in place of the frames (`summariseFrames`); renderers show it as one row.
 */
export interface FramesSummaryData {
  streamId: string;
  direction: "out" | "in";
  eventType: string;
  track?: "inbound" | "outbound";
  count: number;
  bytes: number;
  /** seq of the first and last summarised event. */
  firstSeq: number;
  lastSeq: number;
  firstSequenceNumber?: string;
  lastSequenceNumber?: string;
  /** t of the last summarised frame minus t of the first. */
  spanUs: number;
}
export const FRAMES_SUMMARY_KIND = "ws.frames" as const;

/** Nearest-rank percentiles over a set of samples (ms). `null` when there are no samples. */
export interface Percentiles {
  /** Samples that produced a value. */
  n: number;
  /** Samples that did not (no reply, timeout): not in the percentiles, counted here. */
  failures: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Fewer samples than `LOW_N` (p95/p99 are then the maximum and not meaningful on their own). */
  lowN: boolean;
}

/** Below this many samples a percentile table is flagged (p95 of 19 samples is the max). */
export const LOW_N = 20;

export interface LatencySample {
  callId: string;
  /** Turn (or utterance) index within the call, from 0; absent for once-per-call metrics. */
  turn?: number;
  /** The measured value in ms; `null` when the measurement failed (no reply, timed out). */
  valueMs: number | null;
  /** Why `valueMs` is null, or what is notable about it. */
  note?: string;
  /**
   * The measurement points the value comes from (ms, each on its own side's clock; C_* carrier,
   * S_* stub): L = C_first − C_end, K = S_first − S_end, B = L − K.
   */
  points?: { cEndMs?: number; cFirstMs?: number; sEndMs?: number; sFirstMs?: number };
  /** The harness could not measure this sample soundly (not a failure of the app; not in the percentiles). */
  harnessError?: string;
}

export interface LatencyMetric extends Percentiles {
  /** The budget the case judged against, when there is one (e.g. bridge overhead p95 ≤ 50 ms). */
  budgetMs?: number;
  /** Which percentile the budget applies to. */
  budgetPercentile?: "p50" | "p95" | "p99";
  samples: LatencySample[];
}

/** Downstream audio spacing (latency.jitter-down). */
export interface JitterDown {
  /** Gaps between consecutive playAudio arrivals (ms). */
  gaps: Percentiles;
  /** Times the carrier's play-out buffer ran dry mid-response (a caller hears a hole). */
  underruns: number;
  /** Total silence those underruns inserted (ms). */
  underrunMs: number;
  samples: { callId: string; underruns: number; maxGapMs: number | null }[];
}

/** The run's latency calibration: direct mode (no bridge), where B must read 0 within the stated error. */
export interface LatencyCalibrationResult {
  ok: boolean;
  /** The stated measurement error of B (ms). */
  toleranceMs: number;
  /** Why the calibration is off (the latency figures are then withheld). */
  reason?: string;
  /** B(n) of each direct-mode turn, with its points. */
  samples: LatencySample[];
}

export interface Latency {
  calibration?: LatencyCalibrationResult;
  turn?: LatencyMetric;
  bridgeOverhead?: LatencyMetric;
  greeting?: LatencyMetric;
  bargein?: LatencyMetric;
  jitterDown?: JitterDown;
}

/** A WAV clip: inline (base64 of a whole RIFF/WAVE file) or a path relative to the result file. */
export interface AudioClip {
  wavBase64?: string;
  path?: string;
  sampleRate: number;
  durationMs: number;
}

export interface CallAudio {
  /** What the carrier sent on the inbound track (the caller's voice). */
  caller?: AudioClip;
  /** What the caller actually heard: the played-out outbound audio after `clear`s. */
  heard?: AudioClip;
  /** Every byte of audio the bridge sent in `playAudio`, in arrival order (includes cleared audio). */
  returned?: AudioClip;
}

export interface StreamSummary {
  streamId: string;
  name: string;
  destination: string;
  mode: "unidirectional" | "bidirectional";
  tracks: "inbound" | "outbound" | "both";
  /** Frames the carrier sent / received on the socket. */
  framesSent: number;
  framesReceived: number;
  playAudioCount?: number;
  clearCount?: number;
  closedBy?: "carrier" | "app" | "network";
  closeCode?: number;
}

export interface CallDocument {
  url: string;
  text: string;
  contentType?: string;
  diagnostics: Diagnostic[];
}

export interface CallRecord {
  callId: string;
  /** Human label (scenario name). */
  label?: string;
  /** The scenario id the runner used to place the call, when different from the label. */
  scenario?: string;
  disconnectCause: string;
  errorMessage?: string;
  durationMs: number;
  /** Monotonic µs of the call's start on the timeline's clock (t = startUs is "0 ms" in reports). */
  startUs: number;
  /** Every BXML document received, in order, with its lint diagnostics. */
  documents: CallDocument[];
  /** The call's events in seq order; media frames may be summarised (`ws.frames`). */
  timeline: RecordedEvent[];
  /** Events not kept (timeline cap, or left out to bound the file size). */
  timelineDropped?: number;
  audio: CallAudio;
  streams: StreamSummary[];
}

/** prior-art §6.1: who ended the media stream and how (Autobahn's behaviorClose). */
export interface Teardown {
  closedBy: "carrier" | "app" | "network" | "none";
  code?: number;
  /** A close handshake completed (as opposed to a TCP drop or a timeout). */
  clean: boolean;
  /** The bridge's upstream Realtime session ended too; `null` when not observable. */
  upstreamClosed: boolean | null;
}

export interface RepeatResult {
  runs: number;
  /** The verdict of each run, in run order. */
  verdicts: Verdict[];
  /** Runs that passed / runs (0..1). */
  passRate: number;
}

export type BaselineMark = "expected" | "new-failure" | "unexpected-pass";

export interface CaseResult {
  /** Stable dotted id, `group.subject.check`; in a run of both directions the outbound verdict's is `<id>@outbound`. */
  id: string;
  /** Set in a run of both directions: the case id without the direction, and the direction judged. */
  caseId?: string;
  direction?: "inbound" | "outbound";
  group: string;
  level: CaseLevel;
  title: string;
  expectation: string;
  /** Public source URL, or "pitfall". */
  source: string;
  /** The set of acceptable outcomes, one line each. */
  outcomes: string[];
  verdict: Verdict;
  expected?: string;
  observed?: string;
  message?: string;
  durationMs: number;
  /** Calls whose recording this case judged. */
  callIds: string[];
  /** The slice of the timeline that proves the verdict (empty for a plain pass is fine). */
  evidence: RecordedEvent[];
  metrics?: Record<string, number>;
  repeat?: RepeatResult;
  baseline?: BaselineMark;
  /** Reason given in the baseline file for an expected failure. */
  baselineReason?: string;
  teardown?: Teardown;
  /** Where in the bridge's output the problem is (a BXML document and position), for SARIF. */
  location?: { uri: string; line?: number; col?: number };
}

export interface Summary {
  total: number;
  counts: Record<Verdict, number>;
  /** 0 pass, 1 bridge failure, 2 usage/config, 3 harness error (src/exit.ts). */
  exitCode: 0 | 1 | 2 | 3;
  /** Ids that fail and are not expected by the baseline (all failures when there is no baseline). */
  newFailures: string[];
  /** Ids the baseline expects to fail that passed (the baseline can shrink). */
  unexpectedPasses: string[];
}

export interface LintFile {
  /** Path or URL of the linted document. */
  file: string;
  diagnostics: Diagnostic[];
}

export interface Harness {
  /** The pacing scheduler's own lateness over the run (prior-art §6.7). */
  schedulerLateness?: { p50Us: number; p99Us: number; maxUs: number; frames?: number };
  warnings: string[];
}

export interface RunResult {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  target: {
    appUrl: string;
    /** "stub", "live", "opaque", or the Realtime URL used. */
    realtime: string;
    /** What bwemu saw of the bridge's upstream: the stub's records, the live service (carrier side only), or nothing (opaque). */
    upstream?: "stub" | "live" | "opaque";
    /** Which way the calls went (absent in results written before directions: inbound). */
    direction?: "inbound" | "outbound" | "both";
    /** Outbound calls' answerUrl, when it is not appUrl. */
    answerUrl?: string;
    label?: string;
  };
  options: {
    strict: boolean;
    cases: string[];
    exclude: string[];
    repeat: number;
    /** Path of the expected-failures baseline file, or null. */
    baseline: string | null;
  };
  summary: Summary;
  cases: CaseResult[];
  calls: CallRecord[];
  latency: Latency;
  lint: LintFile[];
  harness: Harness;
}

// ---------------------------------------------------------------------------------------------
// Small helpers a runner uses to fill the model (pure).

/** Nearest-rank percentiles over values; `failures` counts samples with no value. */
export function percentiles(values: readonly number[], failures = 0): Percentiles {
  // The same nearest-rank figures the latency module computes (openai-realtime.md §12.3.5), in the
  // report's shape: null for "no sample", one low-N flag.
  const a = aggregate(values, failures);
  return {
    n: a.n,
    failures: a.failures,
    p50: a.p50 ?? null,
    p95: a.p95 ?? null,
    p99: a.p99 ?? null,
    min: a.min ?? null,
    max: a.max ?? null,
    mean: a.mean ?? null,
    lowN: a.n < LOW_N,
  };
}

/** A latency metric from samples (null values count as failures). */
export function latencyMetric(samples: LatencySample[], budget?: { ms: number; percentile: "p50" | "p95" | "p99" }): LatencyMetric {
  const vals = samples.flatMap((s) => (s.valueMs === null ? [] : [s.valueMs]));
  // A sample the harness could not measure is neither a value nor the app's failure.
  const failures = samples.filter((s) => s.valueMs === null && s.harnessError === undefined).length;
  return {
    ...percentiles(vals, failures),
    ...(budget ? { budgetMs: budget.ms, budgetPercentile: budget.percentile } : {}),
    samples,
  };
}

/**
 * The summary of a set of case results, and the run's one exit-code rule (conformance.md / prior-art
 * §6.3): 1 when a failure is new (or, with `strict`, a non-strict is new); else 3 when the harness
 * erred; else 0. Failures and harness errors the baseline expects do not change the exit code.
 */
export function summarize(cases: readonly CaseResult[], opts: { strict: boolean }): Summary {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cases) counts[c.verdict]++;
  const failing = (c: CaseResult) => c.verdict === "fail" || (opts.strict && c.verdict === "non-strict");
  const newFailures = cases.filter((c) => failing(c) && c.baseline !== "expected").map((c) => c.id);
  const unexpectedPasses = cases.filter((c) => c.baseline === "unexpected-pass").map((c) => c.id);
  const harnessErrors = cases.filter((c) => c.verdict === "error" && c.baseline !== "expected").length;
  const exitCode = newFailures.length ? 1 : harnessErrors ? 3 : 0;
  return { total: cases.length, counts, exitCode, newFailures, unexpectedPasses };
}


interface FrameLike {
  streamId?: unknown;
  direction?: unknown;
  eventType?: unknown;
  track?: unknown;
  bytes?: unknown;
  sequenceNumber?: unknown;
}

/**
 * Walks `events` gathering those with a key into one run per key. An event without a key first
 * closes every open run (`flush` gets them, in the order their keys first came) and then goes to
 * `single`, unless `aside` takes it (returns true): such an event neither ends nor joins a run.
 * The runs still open at the end are flushed too.
 */
export function gatherRuns<E>(
  events: readonly E[],
  o: { key(e: E): string | null; single(e: E): void; flush(runs: Iterable<E[]>): void; aside?(e: E): boolean },
): void {
  let open = new Map<string, E[]>();
  const close = () => {
    o.flush(open.values());
    open = new Map();
  };
  for (const e of events) {
    const k = o.key(e);
    if (k === null) {
      if (o.aside?.(e)) continue;
      close();
      o.single(e);
      continue;
    }
    const run = open.get(k);
    if (run) run.push(e);
    else open.set(k, [e]);
  }
  close();
}

/**
 * Collapse consecutive media frames into `ws.frames` summaries: between two events of any other
 * kind, the frames of each (stream, direction, track, eventType) become one event placed at the
 * first frame's position, so interleaved inbound/outbound/playAudio traffic summarises too.
 * Groups shorter than `minRun` stay as they are. Other high-rate events (`audio.queued`, stub
 * `*.append`/`*.delta`) stay too but do not end a run. Idempotent; seq order is kept.
 */
export function summariseFrames(events: readonly RecordedEvent[], opts: { minRun?: number; eventTypes?: string[] } = {}): RecordedEvent[] {
  const minRun = opts.minRun ?? 3;
  const types = new Set(opts.eventTypes ?? ["media", "playAudio"]);
  const out: RecordedEvent[] = [];
  const key = (e: RecordedEvent): string | null => {
    if (e.kind !== "ws.frame") return null;
    const d = e.data as FrameLike;
    if (typeof d.eventType !== "string" || !types.has(d.eventType)) return null;
    return `${String(d.streamId)}|${String(d.direction)}|${String(d.track ?? "")}|${d.eventType}|${e.lane}|${e.callId ?? ""}`;
  };
  let passThrough: RecordedEvent[] = [];
  const transparent = (e: RecordedEvent) => {
    const type = (e.data as { type?: unknown }).type;
    return e.kind === "audio.queued" || (e.lane === "stub" && typeof type === "string" && /\.(append|delta)$/.test(type));
  };
  const flush = (runs: Iterable<RecordedEvent[]>) => {
    const pending: RecordedEvent[] = passThrough;
    passThrough = [];
    for (const run of runs) {
      if (run.length < minRun) {
        for (const e of run) pending.push(e);
        continue;
      }
      const first = run[0];
      const last = run[run.length - 1];
      const d0 = first.data as FrameLike;
      const d1 = last.data as FrameLike;
      const data: FramesSummaryData = {
        streamId: String(d0.streamId ?? ""),
        direction: d0.direction === "in" ? "in" : "out",
        eventType: String(d0.eventType),
        ...(d0.track === "inbound" || d0.track === "outbound" ? { track: d0.track } : {}),
        count: run.length,
        bytes: run.reduce((a, e) => a + (Number((e.data as FrameLike).bytes) || 0), 0),
        firstSeq: first.seq,
        lastSeq: last.seq,
        ...(typeof d0.sequenceNumber === "string" ? { firstSequenceNumber: d0.sequenceNumber } : {}),
        ...(typeof d1.sequenceNumber === "string" ? { lastSequenceNumber: d1.sequenceNumber } : {}),
        spanUs: last.t - first.t,
      };
      pending.push({ seq: first.seq, t: first.t, lane: first.lane, kind: FRAMES_SUMMARY_KIND, ...(first.callId !== undefined ? { callId: first.callId } : {}), data });
    }
    pending.sort((a, b) => a.seq - b.seq);
    for (const e of pending) out.push(e); // no spread: runs can be 100k+ events
  };
  const aside = (e: RecordedEvent): boolean => {
    if (!transparent(e)) return false;
    passThrough.push(e);
    return true;
  };
  gatherRuns(events, { key, single: (e) => out.push(e), flush, aside });
  return out;
}
