// Synthetic shards of one run for the merge tests: a whole run is described once (cases with the
// scenarios they read, calls with their scenario and repetition, latency values, pacing lateness),
// then split the way `bwemu test --shard` splits it, each shard's result built the way a run builds
// it (figures from its own samples), so the merge can be compared with the whole.
import { LatenessRecorder } from "../../emulator/media/lateness.js";
import { latencyMetric, percentiles, summarize, type CallRecord, type CaseResult, type LatencySample, type RunResult, type Verdict } from "../../reports/model.js";
import { pacingWarning } from "../../src/run/call-checks.js";
import { BLOB_FORMAT, BLOB_FORMAT_VERSION, type BlobConfig, type ShardBlob } from "../../src/run/blob.js";
import { TOOL } from "../../src/run/result.js";

export interface WholeRun {
  cases: { id: string; verdict: Verdict; scenarios: string[]; level?: "MUST" | "SHOULD" | "INFO" }[];
  excluded?: { id: string; scenarios: string[] }[];
  /** Calls in the run's order (repetition, then the selection's scenario order); those with `turns` are latency calls. */
  calls: { callId: string; scenario: string; rep?: number; turns?: (number | null)[]; gaps?: number[]; lateUs?: number[] }[];
  strict?: boolean;
  calibration?: { ok: boolean; reason?: string };
  /** Which shard each scenario runs in (1-based), and how many shards. */
  shardOf: Record<string, number>;
  total: number;
}

export const CONFIG: BlobConfig = {
  realtime: "stub",
  strict: false,
  cases: [],
  exclude: [],
  repeat: 1,
  baseline: null,
  overheadP95Ms: 50,
  turnExtraP95Ms: 150,
  concurrentCalls: 10,
  callbackMs: 15000,
  callMs: 30000,
  callbackAuth: true,
  statusUrl: true,
};

function caseResult(c: { id: string; verdict: Verdict; level?: string }, callIds: string[]): CaseResult {
  return {
    id: c.id,
    group: c.id.split(".")[0],
    level: (c.level ?? "MUST") as CaseResult["level"],
    title: c.id,
    expectation: "x",
    source: "pitfall",
    outcomes: ["x"],
    verdict: c.verdict,
    durationMs: 1,
    callIds,
    evidence: [],
  };
}

function callRecord(c: WholeRun["calls"][number]): CallRecord {
  return { callId: c.callId, scenario: c.scenario, label: c.scenario, disconnectCause: "hangup", durationMs: 1000, startUs: 0, documents: [{ url: `http://app/${c.callId}`, text: "<Response/>", diagnostics: [] }], timeline: [], audio: {}, streams: [] };
}

/** The run result of the calls and cases given (`whole` for their settings), as a run builds it. */
function resultOf(w: WholeRun, cases: CaseResult[], calls: WholeRun["calls"], withCalibration: boolean, startedAt: string): RunResult {
  // As in a run, latency figures come from the latency scenarios' calls (here: those with turns).
  const lat = calls.filter((c) => c.turns);
  const turnSamples: LatencySample[] = lat.flatMap((c) => (c.turns ?? []).map((v, turn) => ({ callId: c.callId, turn, valueMs: v })));
  const rec = new LatenessRecorder();
  for (const c of calls) for (const v of c.lateUs ?? []) rec.record(v);
  const st = rec.stats();
  const cal = withCalibration && w.calibration ? { ok: w.calibration.ok, toleranceMs: 1, ...(w.calibration.reason ? { reason: w.calibration.reason } : {}), samples: [] } : undefined;
  const withheld = cal !== undefined && !cal.ok;
  return {
    schemaVersion: 1,
    tool: TOOL,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 1000).toISOString(),
    durationMs: 1000,
    target: { appUrl: "http://127.0.0.1:3000/voice", realtime: "stub" },
    options: { strict: !!w.strict, cases: [], exclude: [], repeat: 1, baseline: null },
    summary: summarize(cases, { strict: !!w.strict }),
    cases,
    calls: calls.map(callRecord),
    latency: {
      ...(cal ? { calibration: cal } : {}),
      ...(withheld ? {} : { turn: latencyMetric(turnSamples), bridgeOverhead: latencyMetric(turnSamples, { ms: 50, percentile: "p95" }) }),
      greeting: latencyMetric(lat.map((c) => ({ callId: c.callId, valueMs: 100 }))),
      bargein: latencyMetric([]),
      jitterDown: { gaps: percentiles(lat.flatMap((c) => c.gaps ?? [])), underruns: 0, underrunMs: 0, samples: lat.map((c) => ({ callId: c.callId, underruns: 0, maxGapMs: null })) },
    },
    lint: calls.map((c) => ({ file: `http://app/${c.callId}`, diagnostics: [] })),
    harness: {
      schedulerLateness: st.count ? { p50Us: st.p50Us, p99Us: st.p99Us, maxUs: st.maxUs, frames: st.count } : undefined,
      warnings: [pacingWarning(st), `a note from a run with ${calls.length} calls`].filter((x): x is string => x !== undefined),
    },
  };
}

const callIdsOf = (w: WholeRun, scenarios: string[]) => scenarios.flatMap((s) => w.calls.filter((c) => c.scenario === s).map((c) => c.callId));

/** The unsharded run's result. */
export function wholeResult(w: WholeRun): RunResult {
  const cases = [...w.cases.map((c) => caseResult(c, callIdsOf(w, c.scenarios))), ...(w.excluded ?? []).map((c) => caseResult({ id: c.id, verdict: "skipped" }, callIdsOf(w, c.scenarios)))];
  return resultOf(w, cases, w.calls, true, "2026-01-01T00:00:00.000Z");
}

/** The blob of shard `index`: its cases (shard 1 also the excluded ones) and its scenarios' calls. */
export function shardBlob(w: WholeRun, index: number): ShardBlob {
  const here = (s: string) => w.shardOf[s] === index;
  const cases = w.cases.filter((c) => c.scenarios.length && c.scenarios.every(here));
  const calls = w.calls.filter((c) => here(c.scenario));
  const results = [...cases.map((c) => caseResult(c, callIdsOf(w, c.scenarios))), ...(index === 1 ? (w.excluded ?? []).map((c) => caseResult({ id: c.id, verdict: "skipped" }, callIdsOf(w, c.scenarios).filter((id) => calls.some((x) => x.callId === id)))) : [])];
  const rec = new LatenessRecorder();
  for (const c of calls) for (const v of c.lateUs ?? []) rec.record(v);
  const scenarios = [...new Set(w.cases.flatMap((c) => c.scenarios))];
  return {
    format: BLOB_FORMAT,
    formatVersion: BLOB_FORMAT_VERSION,
    bwemu: TOOL.version,
    shard: { index, total: w.total },
    plan: {
      selected: w.cases.map((c) => c.id),
      excluded: (w.excluded ?? []).map((c) => c.id),
      scenarios,
      caseScenarios: Object.fromEntries([...w.cases, ...(w.excluded ?? [])].map((c) => [c.id, c.scenarios])),
      cases: results.map((c) => c.id),
      shardScenarios: scenarios.filter(here),
    },
    config: { ...CONFIG, strict: !!w.strict },
    raw: { callRepetition: Object.fromEntries(calls.map((c) => [c.callId, c.rep ?? 0])), jitterGapsMs: calls.flatMap((c) => (c.turns ? (c.gaps ?? []) : [])), schedulerHistogram: rec.encode() },
    result: resultOf(w, results, calls, cases.some((c) => c.id.startsWith("latency.")), `2026-01-01T00:00:0${index}.000Z`),
  };
}

export const shardBlobs = (w: WholeRun) => Array.from({ length: w.total }, (_, i) => ({ path: `blobs/bwemu-blob-${i + 1}-of-${w.total}.json`, blob: shardBlob(w, i + 1) }));
