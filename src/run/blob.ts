// The blob result of a run or of one shard (`bwemu test --shard i/n`, `--reporter blob`): everything
// `bwemu merge-reports` needs to rebuild every report exactly as one run would have written it. That
// is the shard's run result (verdicts, calls with their timelines, latency samples, calibration,
// durations) plus what a result only holds as percentiles: the raw downstream gaps and bwemu's own
// pacing lateness as an HDR histogram, so merged figures come from merged samples, never from
// averaged percentiles. One JSON file per shard, versioned (`formatVersion`), checked on read.

import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { computeCallLatency } from "../../emulator/latency/index.js";
import { renderJsonChunks } from "../../reports/json.js";
import type { RunResult } from "../../reports/model.js";
import { validateRunResult } from "../../reports/validate.js";
import { writeChunks } from "../../reports/write.js";
import { LATENCY_SCENARIOS } from "../../suites/latency/observe.js";
import { scenarios, type ScenarioId } from "../../suites/scenarios.js";
import type { ResolvedConfig } from "../config.js";
import { UsageError } from "../exit.js";
import type { ConformanceOutcome, RunPlan } from "./conformance.js";
import { TOOL } from "./result.js";
import type { ShardSpec } from "./shard.js";

export const BLOB_FORMAT = "bwemu-blob";
/** Bumped on any change a reader of the previous version would misread. */
export const BLOB_FORMAT_VERSION = 1;
/** `--reporter blob`: not a report of a run result, so not in the reporter table. */
export const BLOB_REPORTER = "blob";

/** Error codes of reading and merging blobs (the message says which file or shard). */
export type BlobErrorCode =
  | "BLOB_UNREADABLE"
  | "BLOB_CORRUPT"
  | "BLOB_VERSION"
  | "BLOB_NONE"
  | "SHARD_MISSING"
  | "SHARD_DUPLICATE"
  | "SHARD_MISMATCH";

/** A blob that cannot be read or merged: the user's input (exit 2), with a code and the place. */
export class BlobError extends UsageError {
  override name = "BlobError";
  constructor(
    readonly code: BlobErrorCode,
    message: string,
  ) {
    super(`${message} [${code}]`);
  }
}

/** The settings that change verdicts or figures: every shard of one run must have the same. No secrets. */
export interface BlobConfig {
  realtime: string;
  strict: boolean;
  cases: string[];
  exclude: string[];
  repeat: number;
  baseline: string | null;
  overheadP95Ms: number;
  turnExtraP95Ms: number;
  concurrentCalls: number;
  callbackMs: number;
  callMs: number;
  /** Whether webhooks carried Basic credentials (never the credentials). */
  callbackAuth: boolean;
  statusUrl: boolean;
  /** Which way the calls went (`--direction`); absent in blobs written before directions: inbound. */
  direction?: string;
}

export interface ShardBlob {
  format: typeof BLOB_FORMAT;
  formatVersion: typeof BLOB_FORMAT_VERSION;
  /** The bwemu that ran the shard. */
  bwemu: string;
  shard: ShardSpec;
  plan: {
    selected: string[];
    excluded: string[];
    scenarios: string[];
    /** The scenarios each selected and excluded case reads (an excluded case still names the calls of its scenarios). */
    caseScenarios: Record<string, string[]>;
    /** Case ids this shard judged (and reports), and the scenarios it placed. */
    cases: string[];
    shardScenarios: string[];
  };
  config: BlobConfig;
  raw: {
    /** Repetition (from 0) of every call, by call id. */
    callRepetition: Record<string, number>;
    /** Every gap between playAudio arrivals on the latency scenarios' calls (ms). */
    jitterGapsMs: number[];
    /** bwemu's pacing lateness, HDR histogram (compressed base64); absent when not recorded. */
    schedulerHistogram?: string;
  };
  result: RunResult;
}

/** The type of every setting, keyed by BlobConfig: a new setting cannot be left unchecked on read. */
const CONFIG_TYPES: Record<keyof BlobConfig, "string" | "string?" | "string[]" | "string|null" | "boolean" | "number"> = {
  realtime: "string",
  strict: "boolean",
  cases: "string[]",
  exclude: "string[]",
  repeat: "number",
  baseline: "string|null",
  overheadP95Ms: "number",
  turnExtraP95Ms: "number",
  concurrentCalls: "number",
  callbackMs: "number",
  callMs: "number",
  callbackAuth: "boolean",
  statusUrl: "boolean",
  direction: "string?",
};

export function blobConfig(cfg: ResolvedConfig): BlobConfig {
  return {
    realtime: cfg.realtime,
    strict: cfg.strict,
    cases: cfg.cases,
    exclude: cfg.exclude,
    repeat: cfg.repeat,
    baseline: cfg.baseline ?? null,
    overheadP95Ms: cfg.overheadP95Ms,
    turnExtraP95Ms: cfg.turnExtraP95Ms,
    concurrentCalls: cfg.concurrentCalls,
    callbackMs: cfg.callbackMs,
    callMs: cfg.callMs,
    callbackAuth: !!cfg.callbackCreds,
    statusUrl: !!cfg.statusUrl,
    direction: cfg.direction,
  };
}

/** `bwemu-blob-<i>-of-<n>.json`: distinct per shard, so every shard's artifact can land in one folder. */
export function blobFileName(s: ShardSpec): string {
  return `bwemu-blob-${s.index}-of-${s.total}.json`;
}
export const BLOB_FILE = /^bwemu-blob-\d+-of-\d+\.json$/;

/** The raw data of a run's calls that its result keeps only as percentiles. */
function rawOf(plan: RunPlan): Omit<ShardBlob["raw"], "schedulerHistogram"> {
  const callRepetition: Record<string, number> = {};
  // Contexts come repetition by repetition, each direction in turn.
  const perRep = Math.max(1, new Set(plan.contexts.map((ctx) => ctx.direction ?? "inbound")).size);
  plan.contexts.forEach((ctx, i) => {
    for (const id of Object.keys(scenarios) as ScenarioId[]) for (const o of ctx.run(id)?.calls ?? []) callRepetition[o.call.callId] = Math.floor(i / perRep);
  });
  // The same calls and computation as the result's latency section (src/run/result.ts).
  const latencyCalls = plan.contexts.flatMap((ctx) => LATENCY_SCENARIOS.flatMap((id) => ctx.run(id)?.calls ?? []));
  const jitterGapsMs = latencyCalls.flatMap((o) => computeCallLatency(o.call.timeline, o.call.callId, o.sessions[0]).jitterDown.gaps.map((g) => g.gapMs));
  return { callRepetition, jitterGapsMs };
}

export function buildBlob(outcome: ConformanceOutcome, cfg: ResolvedConfig, schedulerHistogram?: string): ShardBlob {
  const plan = outcome.plan;
  if (!plan) throw new Error("a blob needs the run's plan (runConformance sets it)");
  const shard: ShardSpec = plan.shard ? { index: plan.shard.index, total: plan.shard.total } : { index: 1, total: 1 };
  return {
    format: BLOB_FORMAT,
    formatVersion: BLOB_FORMAT_VERSION,
    bwemu: TOOL.version,
    shard,
    plan: {
      selected: plan.selected,
      excluded: plan.excluded,
      scenarios: plan.scenarios,
      caseScenarios: plan.caseScenarios,
      cases: outcome.result.cases.map((c) => c.id),
      shardScenarios: plan.shard?.part.scenarios ?? plan.scenarios,
    },
    config: blobConfig(cfg),
    raw: { ...rawOf(plan), ...(schedulerHistogram ? { schedulerHistogram } : {}) },
    result: outcome.result,
  };
}

/** Write the blob into `dir` (created if needed), atomically; returns its path. */
export async function writeBlob(dir: string, blob: ShardBlob): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, blobFileName(blob.shard));
  const { result, ...head } = blob;
  const headText = JSON.stringify(head, null, 1);
  // The result in results.json's own form (stable key order, one line per timeline event), streamed.
  await writeChunks(path, (function* () {
    yield `${headText.slice(0, -2)},\n "result": `;
    yield* renderJsonChunks(result);
    yield "}\n";
  })());
  return path;
}

// ---------------------------------------------------------------------------------------------
// Reading: the envelope is checked field by field, the result against the run-result schema; every
// problem names the file and the JSON Pointer.

type Check = [path: string, ok: boolean, want: string];

const isInt = (v: unknown, min = 0): v is number => typeof v === "number" && Number.isInteger(v) && v >= min;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function envelopeChecks(b: Record<string, unknown>): Check[] {
  const shard = isObject(b.shard) ? b.shard : {};
  const plan = isObject(b.plan) ? b.plan : {};
  const raw = isObject(b.raw) ? b.raw : {};
  const config = isObject(b.config) ? b.config : {};
  return [
    ["/bwemu", typeof b.bwemu === "string", "a version string"],
    ["/shard", isObject(b.shard), "an object {index, total}"],
    ["/shard/total", isInt(shard.total, 1), "a whole number ≥ 1"],
    ["/shard/index", isInt(shard.index, 1) && (!isInt(shard.total, 1) || (shard.index as number) <= shard.total), "a whole number from 1 to /shard/total"],
    ["/plan", isObject(b.plan), "an object"],
    ...(["selected", "excluded", "scenarios", "cases", "shardScenarios"] as const).map((k): Check => [`/plan/${k}`, isStrings(plan[k]), "an array of strings"]),
    ["/plan/caseScenarios", isObject(plan.caseScenarios) && Object.values(plan.caseScenarios).every(isStrings), "an object of string arrays"],
    ["/config", isObject(b.config), "an object"],
    ...Object.entries(CONFIG_TYPES).map(([k, t]): Check => {
      const v = config[k];
      const ok = t === "string[]" ? isStrings(v) : t === "string|null" ? v === null || typeof v === "string" : t === "string?" ? v === undefined || typeof v === "string" : typeof v === t;
      return [`/config/${k}`, ok, t === "string[]" ? "an array of strings" : t === "string|null" ? "a string or null" : t === "string?" ? "a string when present" : `a ${t}`];
    }),
    ["/raw", isObject(b.raw), "an object"],
    ["/raw/callRepetition", isObject(raw.callRepetition) && Object.values(raw.callRepetition).every((v) => isInt(v)), "an object of whole numbers"],
    ["/raw/jitterGapsMs", Array.isArray(raw.jitterGapsMs) && raw.jitterGapsMs.every((v) => typeof v === "number" && Number.isFinite(v)), "an array of numbers"],
    ["/raw/schedulerHistogram", raw.schedulerHistogram === undefined || typeof raw.schedulerHistogram === "string", "a string"],
    ["/result", isObject(b.result), "a run result"],
  ];
}

/** JSON.parse's error with the line and column of its position. */
function parseError(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return /end of JSON input/.test(e.message) ? `${e.message} (at the end: line ${text.split("\n").length}; the file is cut short)` : e.message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return `${e.message.replace(/\s*\(line \d+ column \d+\)/, "")} (line ${line}, column ${pos - before.lastIndexOf("\n")})`;
}

/** Check a parsed blob; `where` names it in errors. */
export function checkBlob(value: unknown, where: string): ShardBlob {
  if (!isObject(value) || value.format !== BLOB_FORMAT) throw new BlobError("BLOB_CORRUPT", `${where}: not a bwemu blob result (no "format": "${BLOB_FORMAT}")`);
  if (value.formatVersion !== BLOB_FORMAT_VERSION) {
    const v = value.formatVersion;
    const newer = typeof v === "number" && v > BLOB_FORMAT_VERSION;
    throw new BlobError(
      "BLOB_VERSION",
      `${where}: blob format ${JSON.stringify(v)}${typeof value.bwemu === "string" ? ` (written by bwemu ${value.bwemu})` : ""}; this bwemu ${TOOL.version} reads format ${BLOB_FORMAT_VERSION}: ${newer ? "merge with the bwemu that ran the shards" : "run the shards again with this bwemu"}`,
    );
  }
  const bad = envelopeChecks(value).filter(([, ok]) => !ok);
  if (bad.length) throw new BlobError("BLOB_CORRUPT", `${where}: not a valid blob: ${bad.map(([p, , want]) => `${p}: must be ${want}`).join("; ")}`);
  const { $schema: _, ...result } = value.result as Record<string, unknown>;
  const errs = validateRunResult(result);
  if (errs.length) throw new BlobError("BLOB_CORRUPT", `${where}: the run result in it is not valid: ${errs.slice(0, 10).map((e) => `/result${e.path}: ${e.message}`).join("; ")}${errs.length > 10 ? `; … and ${errs.length - 10} more` : ""}`);
  return { ...(value as unknown as ShardBlob), result: result as unknown as RunResult };
}

/** Read and check one blob file. */
export async function readBlob(path: string): Promise<ShardBlob> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new BlobError("BLOB_UNREADABLE", `${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BlobError("BLOB_CORRUPT", `${path}: not JSON (a truncated or damaged artifact?): ${parseError(text, e as Error)}`);
  }
  return checkBlob(value, path);
}
