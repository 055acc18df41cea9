// Builds the run result (reports/model.ts), the only thing reports read, from the verdicts and the
// recorded calls. Runs of media frames are summarised so a report stays readable and small.

import type { CallResult } from "../../emulator/call/types.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import type { LatenessStats } from "../../emulator/media/scheduler.js";
import { writeWav } from "../../emulator/media/wav.js";
import { type CallLatency, type LatencyCalibration } from "../../emulator/latency/index.js";
import {
  SCHEMA_VERSION,
  latencyMetric,
  percentiles,
  summarize,
  summariseFrames,
  type AudioClip,
  type CallRecord,
  type CaseResult,
  type LatencyCalibrationResult,
  type LatencyMetric,
  type LatencySample,
  type RecordedEvent,
  type RunResult,
  type Verdict,
} from "../../reports/model.js";
import { baselineEntry, type Baseline, type BaselineStatus, type CaseVerdict } from "../../suites/runner.js";
import { groupOf, type CaseContext } from "../../suites/types.js";
import { directedId, directionsOf, splitDirected } from "../../suites/direction.js";
import { LATENCY_SCENARIOS, latencyOf, statedError } from "../../suites/latency/observe.js";
import { scenarios, type ScenarioId } from "../../suites/scenarios.js";
import { upstreamMode, type ResolvedConfig } from "../config.js";
import { lintBxml } from "../lint.js";
import { dropNotice, pacingWarning } from "./call-checks.js";

export const TOOL = { name: "bwemu", version: "0.1.0" };

/** Calls whose audio is embedded in reports (others keep their timelines only, to bound the size). */
const AUDIO_SCENARIOS = new Set(["basic", "bargein"]);
const MAX_CLIP_SECONDS = 30;

function clip(pcm: Int16Array | undefined, rate = 8000): AudioClip | undefined {
  if (!pcm || pcm.length === 0) return undefined;
  const cut = pcm.subarray(0, rate * MAX_CLIP_SECONDS);
  return { wavBase64: Buffer.from(writeWav(cut, rate)).toString("base64"), sampleRate: rate, durationMs: Math.round((pcm.length / rate) * 1000) };
}

function callRecord(call: CallResult, scenario: string | undefined): CallRecord {
  const own = call.timeline.events.filter((e) => e.callId === undefined || e.callId === call.callId);
  const s = call.streams[0];
  const withAudio = scenario !== undefined && AUDIO_SCENARIOS.has(splitDirected(scenario).id);
  return {
    callId: call.callId,
    label: call.label,
    scenario,
    disconnectCause: call.disconnectCause,
    errorMessage: call.errorMessage,
    durationMs: Math.round((call.endedUs - call.startedUs) / 1000),
    startUs: call.startedUs,
    documents: call.documents.map((d) => ({ url: d.url, text: d.text, contentType: d.contentType, diagnostics: lintBxml(d.text, { baseUrl: d.url, file: d.url }) })),
    timeline: summariseFrames(own as RecordedEvent[]),
    timelineDropped: call.timeline.dropped || undefined,
    audio: withAudio ? { caller: clip(s?.inboundPcm), returned: clip(s?.playedPcm) } : {},
    streams: call.streams.map((st) => {
      const frames = own.filter((e): e is TimelineEvent<"ws.frame"> => e.kind === "ws.frame" && (e as TimelineEvent<"ws.frame">).data.streamId === st.streamId);
      return {
        streamId: st.streamId,
        name: st.name,
        destination: st.destination,
        mode: st.mode,
        tracks: st.tracks,
        framesSent: frames.filter((f) => f.data.direction === "out").length,
        framesReceived: frames.filter((f) => f.data.direction === "in").length,
        playAudioCount: frames.filter((f) => f.data.eventType === "playAudio").length,
        clearCount: frames.filter((f) => f.data.eventType === "clear").length,
        closedBy: st.closedBy,
        closeCode: st.closeCode,
      };
    }),
  };
}

type SampleIn = { callId: string; turn?: number; valueMs?: number; note?: string; points?: LatencySample["points"]; harnessError?: string };

function metric(samples: SampleIn[], budgetMs?: number): LatencyMetric {
  return latencyMetric(samples.map(sampleOf), budgetMs === undefined ? undefined : { ms: budgetMs, percentile: "p95" });
}

function sampleOf(s: SampleIn): LatencySample {
  const out: LatencySample = { callId: s.callId, turn: s.turn, valueMs: s.valueMs ?? null, note: s.note ?? (s.harnessError && `harness error: ${s.harnessError}`) };
  if (s.points && Object.keys(s.points).length) out.points = s.points;
  if (s.harnessError) out.harnessError = s.harnessError;
  return out;
}

function calibrationSection(cal: LatencyCalibration | undefined): LatencyCalibrationResult | undefined {
  if (!cal) return undefined;
  return {
    ok: cal.ok,
    toleranceMs: cal.toleranceMs,
    reason: cal.reason,
    samples: cal.turns.map((t) => sampleOf({ callId: t.callId, turn: t.index, valueMs: t.bridgeOverheadMs, points: t.points, note: t.problem })),
  };
}

function latencySection(lat: CallLatency[], cfg: ResolvedConfig, cal: LatencyCalibration | undefined): RunResult["latency"] {
  const turns = lat.flatMap((c) => c.turns.filter((t) => t.kind === "turn").map((t) => ({ c, t })));
  const barges = lat.flatMap((c) => c.turns.filter((t) => t.kind === "barge-in").map((t) => ({ c, t })));
  const withheld = cal !== undefined && !cal.ok; // an off calibration: the figures are not reported (the calibration says why)
  return {
    calibration: calibrationSection(cal),
    ...(withheld ? {} : figures(turns, cfg)),
    greeting: metric(lat.map((c) => ({ callId: c.callId, valueMs: c.greetingMs, note: c.greetingMs === undefined ? "no greeting" : undefined }))),
    bargein: metric(barges.map(({ c, t }) => ({ callId: c.callId, turn: t.index, valueMs: t.bargeInMs, note: t.failure }))),
    jitterDown: jitterOf(lat),
  };
}

/** Turn latency and bridge overhead: the figures the calibration vouches for. */
function figures(turns: { c: CallLatency; t: CallLatency["turns"][number] }[], cfg: ResolvedConfig): Pick<RunResult["latency"], "turn" | "bridgeOverhead"> {
  return {
    turn: metric(turns.map(({ c, t }) => ({ callId: c.callId, turn: t.index, valueMs: t.turnMs, note: t.failure, points: t.points }))),
    bridgeOverhead: metric(
      turns
        .filter(({ c }) => c.stub.valid)
        .map(({ c, t }) => ({ callId: c.callId, turn: t.index, valueMs: t.bridgeOverheadMs, note: t.failure ?? (t.unmeasured && `not measured: ${t.unmeasured}`), points: t.points, harnessError: t.harnessError })),
      cfg.realtime === "stub" ? cfg.overheadP95Ms : undefined,
    ),
  };
}

function jitterOf(lat: CallLatency[]): NonNullable<RunResult["latency"]["jitterDown"]> {
  return {
    gaps: percentiles(lat.flatMap((c) => c.jitterDown.gaps.map((g) => g.gapMs))),
    underruns: lat.reduce((n, c) => n + c.jitterDown.count, 0),
    underrunMs: lat.reduce((n, c) => n + c.jitterDown.totalMs, 0),
    samples: lat.map((c) => ({ callId: c.callId, underruns: c.jitterDown.count, maxGapMs: c.jitterDown.count ? c.jitterDown.maxMs : null })),
  };
}

export interface BuildInput {
  config: ResolvedConfig;
  appUrl: string;
  /** Outbound calls' answerUrl, when it is not `appUrl`. */
  answerUrl?: string;
  label?: string;
  startedAt: Date;
  durationMs: number;
  verdicts: CaseVerdict[];
  baseline?: Baseline;
  baselineStatus: (id: string, v: Verdict) => BaselineStatus | undefined;
  calls: CallResult[];
  contexts: CaseContext[];
  scheduler?: LatenessStats;
}

export function buildRunResult(b: BuildInput): RunResult {
  // Which scenario placed each call, straight from the runs (`basic@outbound` on a run of both directions).
  const directions = directionsOf(b.config.direction);
  const scenarioOf = new Map<string, string>();
  for (const ctx of b.contexts)
    for (const id of Object.keys(scenarios) as ScenarioId[]) for (const o of ctx.run(id)?.calls ?? []) scenarioOf.set(o.call.callId, directedId(id, ctx.direction ?? "inbound", directions));
  const cases: CaseResult[] = b.verdicts.map((v) => {
    const evidence = (v.outcome.evidence ?? []) as RecordedEvent[];
    // The calls of its own direction only, when the run judged both.
    const own = b.contexts.filter((ctx) => v.direction === undefined || (ctx.direction ?? "inbound") === v.direction);
    const callIds = [...new Set(v.case.scenarios.flatMap((s) => own.flatMap((ctx) => ctx.run(s)?.calls.map((o) => o.call.callId) ?? [])))];
    const id = v.id ?? v.case.id;
    const mark = b.baselineStatus(id, v.verdict);
    return {
      id,
      ...(v.direction ? { caseId: v.case.id, direction: v.direction } : {}),
      group: groupOf(v.case.id),
      level: v.case.level,
      title: v.case.title,
      expectation: v.case.expectation,
      source: v.case.docs[0] ?? "pitfall",
      outcomes: [v.case.outcomes],
      verdict: v.verdict,
      expected: v.outcome.expected,
      observed: v.outcome.observed,
      message: v.outcome.message,
      durationMs: Math.round(v.durationMs * 10) / 10,
      callIds,
      evidence: summariseFrames(evidence),
      metrics: v.outcome.metrics,
      repeat: "repeat" in v ? (v as CaseVerdict & { repeat: CaseResult["repeat"] }).repeat : undefined,
      baseline: mark,
      baselineReason: mark ? baselineEntry(id, b.baseline)?.reason : undefined,
    };
  });
  const cal = b.contexts[0]?.latencyCalibration;
  const latencyCalls = b.contexts.flatMap((ctx) => LATENCY_SCENARIOS.flatMap((id) => ctx.run(id)?.calls ?? []));
  const lat = latencyCalls.map((o) => latencyOf(o, statedError(cal)));
  const records = b.calls.map((c) => callRecord(c, scenarioOf.get(c.callId)));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: TOOL,
    startedAt: b.startedAt.toISOString(),
    finishedAt: new Date(b.startedAt.getTime() + b.durationMs).toISOString(),
    durationMs: Math.round(b.durationMs),
    target: {
      appUrl: b.appUrl,
      ...(b.answerUrl ? { answerUrl: b.answerUrl } : {}),
      realtime: b.config.realtime,
      upstream: upstreamMode(b.config.realtime),
      direction: b.config.direction,
      label: b.label,
    },
    options: { strict: b.config.strict, cases: b.config.cases, exclude: b.config.exclude, repeat: b.config.repeat, baseline: b.config.baseline ?? null },
    // Counts, baseline diffs and the exit code, as every renderer and the CLI read them.
    summary: summarize(cases, { strict: b.config.strict }),
    cases,
    calls: records,
    latency: latencySection(lat, b.config, b.contexts[0]?.latencyCalibration),
    lint: records.flatMap((r) => r.documents.map((d) => ({ file: d.url, diagnostics: d.diagnostics }))),
    harness: {
      schedulerLateness: b.scheduler && b.scheduler.count ? { p50Us: b.scheduler.p50Us, p99Us: b.scheduler.p99Us, maxUs: b.scheduler.maxUs, frames: b.scheduler.count } : undefined,
      warnings: [
        pacingWarning(b.scheduler),
        ...b.calls.map((c) => {
          const d = dropNotice(c.timeline.dropSummary());
          return d && `call ${c.callId}: ${d}`;
        }),
        cal && !cal.ok ? `the latency calibration (direct mode, no bridge) is off: ${cal.reason}; turn latency and bridge overhead are withheld` : undefined,
      ].filter((w): w is string => w !== undefined),
    },
  };
}
