// Merging the blob results of a sharded run into the one run result a single run would have
// produced (pure). Case results are taken as each shard judged them (every case is judged in exactly
// one shard), in the selection's order; calls are put in repetition then scenario order; every
// figure is recomputed from the merged samples (latency samples, downstream gaps, the pacing
// histogram), never from the shards' percentiles; the summary and the exit code from the merged
// verdicts, by the same rule as a run (reports/model.ts summarize).

import { build, decodeFromCompressedBase64 } from "hdr-histogram-js";
import {
  latencyMetric,
  percentiles,
  summarize,
  type CallRecord,
  type CaseResult,
  type Latency,
  type LatencyCalibrationResult,
  type LatencyMetric,
  type LatencySample,
  type RunResult,
} from "../../reports/model.js";
import { LATENCY_SCENARIOS } from "../../suites/latency/observe.js";
import { splitDirected } from "../../suites/direction.js";
import type { LatenessStats } from "../../emulator/media/scheduler.js";
import { pacingWarning } from "./call-checks.js";
import { BlobError, type BlobConfig, type ShardBlob } from "./blob.js";
import { shardLabel } from "./shard.js";

/** A blob and where it came from (named in errors). */
export interface ShardInput {
  path: string;
  blob: ShardBlob;
}

const label = (b: ShardBlob) => `shard ${shardLabel(b.shard)}`;

/**
 * The set of shards must be one whole run: one bwemu version, one sharding (same total), each shard
 * exactly once, the same case selection and settings. Returns the blobs in shard order.
 */
export function checkShardSet(inputs: readonly ShardInput[]): ShardBlob[] {
  if (!inputs.length) throw new BlobError("BLOB_NONE", "no blob results to merge");
  const first = inputs[0];
  const versions = new Set(inputs.map((i) => i.blob.bwemu));
  if (versions.size > 1)
    throw new BlobError("SHARD_MISMATCH", `the shards were run by different bwemu versions: ${inputs.map((i) => `${i.path} (${label(i.blob)}): ${i.blob.bwemu}`).join(", ")}; run every shard with the same version`);
  const totals = new Set(inputs.map((i) => i.blob.shard.total));
  if (totals.size > 1)
    throw new BlobError("SHARD_MISMATCH", `the blobs come from different shardings: ${inputs.map((i) => `${i.path} is ${label(i.blob)}`).join(", ")}; merge the blobs of one run`);
  const total = first.blob.shard.total;
  const byIndex = new Map<number, ShardInput>();
  for (const i of inputs) {
    const seen = byIndex.get(i.blob.shard.index);
    if (seen) throw new BlobError("SHARD_DUPLICATE", `${label(i.blob)} was given twice: ${seen.path} and ${i.path} (two runs' artifacts in one folder?)`);
    byIndex.set(i.blob.shard.index, i);
  }
  const missing = Array.from({ length: total }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length)
    throw new BlobError(
      "SHARD_MISSING",
      `${missing.map((k) => `shard ${k}/${total}`).join(", ")} ${missing.length === 1 ? "is" : "are"} missing (found ${[...byIndex.keys()].sort((a, b) => a - b).map((k) => `${k}/${total}`).join(", ")}): did ${missing.length === 1 ? "that job" : "those jobs"} fail before writing its blob, or its artifact not download?`,
    );
  const ordered = Array.from({ length: total }, (_, k) => byIndex.get(k + 1)!);
  const ref = ordered[0];
  for (const i of ordered.slice(1)) {
    const diff = (Object.keys(ref.blob.config) as (keyof BlobConfig)[]).find((k) => JSON.stringify(ref.blob.config[k]) !== JSON.stringify(i.blob.config[k]));
    if (diff)
      throw new BlobError(
        "SHARD_MISMATCH",
        `the shards were run with different settings: ${diff} is ${JSON.stringify(ref.blob.config[diff])} in ${label(ref.blob)} (${ref.path}) but ${JSON.stringify(i.blob.config[diff])} in ${label(i.blob)} (${i.path}); run every shard with the same flags and config`,
      );
    for (const k of ["selected", "excluded", "scenarios", "caseScenarios"] as const) {
      if (JSON.stringify(ref.blob.plan[k]) !== JSON.stringify(i.blob.plan[k]))
        throw new BlobError("SHARD_MISMATCH", `${label(ref.blob)} (${ref.path}) and ${label(i.blob)} (${i.path}) were planned from different case catalogues (plan.${k} differs); run every shard from the same checkout and bwemu`);
    }
  }
  return ordered.map((i) => i.blob);
}

/** Every selected and excluded case, judged by exactly one shard, in the run's order. */
function mergeCases(blobs: readonly ShardBlob[]): CaseResult[] {
  const plan = blobs[0].plan;
  const found = new Map<string, { c: CaseResult; b: ShardBlob }>();
  for (const b of blobs) {
    for (const c of b.result.cases) {
      const seen = found.get(c.id);
      if (seen) throw new BlobError("SHARD_DUPLICATE", `case ${c.id} was judged by both ${label(seen.b)} and ${label(b)}`);
      found.set(c.id, { c, b });
    }
  }
  const order = [...plan.selected, ...plan.excluded];
  const missing = order.filter((id) => !found.has(id));
  if (missing.length) throw new BlobError("SHARD_MISSING", `no shard judged ${missing.length} case(s): ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}`);
  const extra = [...found.keys()].filter((id) => !order.includes(id));
  if (extra.length) throw new BlobError("SHARD_MISMATCH", `case(s) outside the run's selection: ${extra.slice(0, 10).join(", ")} (from ${label(found.get(extra[0])!.b)})`);
  return order.map((id) => found.get(id)!.c);
}

/** Calls in repetition order, then direction, then the selection's scenario order, then each shard's own order. */
function mergeCalls(blobs: readonly ShardBlob[]): { calls: CallRecord[]; rank: Map<string, number> } {
  const scenarioIndex = new Map(blobs[0].plan.scenarios.map((s, i) => [s, i]));
  const all: { c: CallRecord; rep: number; sc: number; k: number }[] = [];
  const owner = new Map<string, ShardBlob>();
  for (const b of blobs) {
    b.result.calls.forEach((c, k) => {
      const other = owner.get(c.callId);
      if (other) throw new BlobError("SHARD_DUPLICATE", `call ${c.callId} is in both ${label(other)} and ${label(b)}`);
      owner.set(c.callId, b);
      all.push({ c, rep: b.raw.callRepetition[c.callId] ?? 0, sc: scenarioIndex.get(c.scenario ?? "") ?? scenarioIndex.size, k: all.length });
    });
  }
  // A run places each direction's calls in turn (inbound first), as in one run.
  const dir = (c: CallRecord) => (splitDirected(c.scenario ?? "").direction === "outbound" ? 1 : 0);
  all.sort((x, y) => x.rep - y.rep || dir(x.c) - dir(y.c) || x.sc - y.sc || x.k - y.k);
  const rank = new Map<string, number>();
  // Latency samples follow the run's order: repetition, then direction (inbound first), then
  // LATENCY_SCENARIOS, then the call.
  const latIndex = (scenario = "") => {
    const { id, direction } = splitDirected(scenario);
    const i = LATENCY_SCENARIOS.indexOf(id as (typeof LATENCY_SCENARIOS)[number]);
    return i < 0 ? Infinity : (direction === "outbound" ? LATENCY_SCENARIOS.length : 0) + i;
  };
  [...all]
    .sort((x, y) => x.rep - y.rep || latIndex(x.c.scenario) - latIndex(y.c.scenario) || x.k - y.k)
    .forEach((x, i) => rank.set(x.c.callId, i));
  return { calls: all.map((x) => x.c), rank };
}

function bySampleOrder<T extends { callId: string; turn?: number }>(items: T[], rank: Map<string, number>): T[] {
  return items
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (rank.get(a.s.callId) ?? Infinity) - (rank.get(b.s.callId) ?? Infinity) || a.i - b.i)
    .map((x) => x.s);
}

function mergeMetric(metrics: (LatencyMetric | undefined)[], rank: Map<string, number>): LatencyMetric | undefined {
  const present = metrics.filter((m): m is LatencyMetric => m !== undefined);
  if (!present.length) return undefined;
  const budget = present.find((m) => m.budgetMs !== undefined);
  const samples: LatencySample[] = bySampleOrder(present.flatMap((m) => m.samples), rank);
  return latencyMetric(samples, budget ? { ms: budget.budgetMs!, percentile: budget.budgetPercentile ?? "p95" } : undefined);
}

function mergeCalibration(cals: LatencyCalibrationResult[]): LatencyCalibrationResult | undefined {
  if (cals.length <= 1) return cals[0];
  const reasons = cals.flatMap((c) => (c.reason ? [c.reason] : []));
  return { ok: cals.every((c) => c.ok), toleranceMs: cals[0].toleranceMs, ...(reasons.length ? { reason: reasons.join("; ") } : {}), samples: cals.flatMap((c) => c.samples) };
}

function mergeLatency(blobs: readonly ShardBlob[], rank: Map<string, number>): Latency {
  const lat = blobs.map((b) => b.result.latency);
  const calibration = mergeCalibration(lat.flatMap((l) => (l.calibration ? [l.calibration] : [])));
  // An off calibration withholds turn latency and bridge overhead for the whole run, as in one run.
  const withheld = calibration !== undefined && !calibration.ok;
  const jitter = lat.flatMap((l) => (l.jitterDown ? [l.jitterDown] : []));
  return {
    calibration,
    ...(withheld ? {} : { turn: mergeMetric(lat.map((l) => l.turn), rank), bridgeOverhead: mergeMetric(lat.map((l) => l.bridgeOverhead), rank) }),
    greeting: mergeMetric(lat.map((l) => l.greeting), rank),
    bargein: mergeMetric(lat.map((l) => l.bargein), rank),
    jitterDown: jitter.length
      ? {
          gaps: percentiles(blobs.flatMap((b) => b.raw.jitterGapsMs)),
          underruns: jitter.reduce((n, j) => n + j.underruns, 0),
          underrunMs: jitter.reduce((n, j) => n + j.underrunMs, 0),
          samples: bySampleOrder(jitter.flatMap((j) => j.samples), rank),
        }
      : undefined,
  };
}

/** bwemu's pacing lateness over every shard: the histograms added (exact percentiles), the max of maxima. */
export function mergeLateness(blobs: readonly ShardBlob[]): LatenessStats | undefined {
  const withFrames = blobs.filter((b) => (b.result.harness.schedulerLateness?.frames ?? 0) > 0);
  if (!withFrames.length) return undefined;
  const stats = (b: ShardBlob): LatenessStats => {
    const s = b.result.harness.schedulerLateness!;
    return { count: s.frames ?? 0, p50Us: s.p50Us, p99Us: s.p99Us, maxUs: s.maxUs };
  };
  if (withFrames.length === 1) return stats(withFrames[0]);
  const maxUs = Math.max(...withFrames.map((b) => stats(b).maxUs));
  if (withFrames.every((b) => b.raw.schedulerHistogram)) {
    const sum = build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true });
    for (const b of withFrames) {
      let h;
      try {
        h = decodeFromCompressedBase64(b.raw.schedulerHistogram!, 32, false);
      } catch (e) {
        throw new BlobError("BLOB_CORRUPT", `${label(b)}: /raw/schedulerHistogram is not an HDR histogram: ${(e as Error).message}`);
      }
      sum.add(h);
      h.destroy();
    }
    const out = { count: sum.totalCount, p50Us: sum.getValueAtPercentile(50), p99Us: sum.getValueAtPercentile(99), maxUs };
    sum.destroy();
    return out;
  }
  // Without every histogram, an upper bound: no mixture's percentile exceeds the largest of its parts'.
  return { count: withFrames.reduce((n, b) => n + stats(b).count, 0), p50Us: Math.max(...withFrames.map((b) => stats(b).p50Us)), p99Us: Math.max(...withFrames.map((b) => stats(b).p99Us)), maxUs };
}

/** One run result from the blobs of every shard of a run (checked with checkShardSet). */
export function mergeBlobs(inputs: readonly ShardInput[]): RunResult {
  const blobs = checkShardSet(inputs);
  const first = blobs[0].result;
  const cases = mergeCases(blobs);
  const { calls, rank } = mergeCalls(blobs);
  // A case left out by --cases/--exclude still lists the calls of its scenarios, wherever they ran.
  const excluded = new Set(blobs[0].plan.excluded);
  for (const [i, c] of cases.entries()) {
    if (!excluded.has(c.id)) continue;
    const reads = blobs[0].plan.caseScenarios[c.id] ?? [];
    cases[i] = { ...c, callIds: [...new Set(reads.flatMap((s) => calls.filter((r) => r.scenario === s).map((r) => r.callId)))] };
  }
  const lateness = mergeLateness(blobs);
  const started = Math.min(...blobs.map((b) => Date.parse(b.result.startedAt)));
  const finished = Math.max(...blobs.map((b) => Date.parse(b.result.finishedAt)));
  // Each shard's warnings but its own pacing one, which is recomputed over the merged histogram.
  const warnings = [
    pacingWarning(lateness),
    ...blobs.flatMap((b) => {
      const own = pacingWarning(mergeLateness([b]));
      return b.result.harness.warnings.filter((w) => w !== own);
    }),
  ];
  const appUrls = [...new Set(blobs.map((b) => b.result.target.appUrl))];
  if (appUrls.length > 1 && !blobs.every((b) => b.result.target.label && b.result.target.label === first.target.label))
    warnings.push(`the shards tested different app URLs: ${blobs.map((b) => `${label(b)} ${b.result.target.appUrl}`).join(", ")}`);
  return {
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    // Wall time from the first shard's start to the last one's end.
    durationMs: Math.max(0, finished - started),
    target: first.target,
    options: first.options,
    summary: summarize(cases, { strict: first.options.strict }),
    cases,
    calls,
    latency: mergeLatency(blobs, rank),
    lint: calls.flatMap((r) => r.documents.map((d) => ({ file: d.url, diagnostics: d.diagnostics }))),
    harness: {
      schedulerLateness: lateness ? { p50Us: lateness.p50Us, p99Us: lateness.p99Us, maxUs: lateness.maxUs, frames: lateness.count } : undefined,
      warnings: [...new Set(warnings.filter((w): w is string => w !== undefined))],
    },
  };
}
