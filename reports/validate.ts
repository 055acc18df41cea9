// Validates a value against `run-result.schema.json` (the schema file is the single source; this
// interprets the subset of JSON Schema 2020-12 it uses) and then the rules a schema cannot say:
// unique case ids, summary counts that match the cases, call ids that exist. Every error names its
// JSON Pointer, so a broken result file is located at once.

import { readFileSync } from "node:fs";
import { VERDICTS, type RunResult, type Verdict } from "./model.js";

type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  $defs?: Record<string, Schema>;
};

export const RUN_RESULT_SCHEMA: Schema & Record<string, unknown> = JSON.parse(
  readFileSync(new URL("./run-result.schema.json", import.meta.url), "utf8"),
);

export interface ValidationError {
  /** JSON Pointer of the offending value, e.g. `/cases/3/verdict`. */
  path: string;
  message: string;
}

/** Thrown by `parseRunResult`/`assertRunResult` with every error found. */
export class RunResultError extends Error {
  override name = "RunResultError";
  constructor(readonly errors: ValidationError[], where = "run result") {
    super(`${where} is not a valid bwemu run result (schemaVersion 1):\n` + errors.slice(0, 20).map((e) => `  ${e.path || "/"}: ${e.message}`).join("\n") + (errors.length > 20 ? `\n  … and ${errors.length - 20} more` : ""));
  }
}

const MAX_ERRORS = 200;

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  if (t === "number") return (actual === "number" || actual === "integer") && Number.isFinite(v as number);
  return actual === t;
}

const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

function check(v: unknown, s: Schema, path: string, errs: ValidationError[]): void {
  if (errs.length >= MAX_ERRORS) return;
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/\$defs\//, "");
    const target = RUN_RESULT_SCHEMA.$defs?.[name];
    if (!target) throw new Error(`schema bug: unknown $ref ${s.$ref}`);
    check(v, target, path, errs);
    return;
  }
  if (s.const !== undefined && v !== s.const) {
    errs.push({ path, message: `must be ${JSON.stringify(s.const)}, got ${JSON.stringify(v)}` });
    return;
  }
  if (s.enum && !s.enum.includes(v as never)) {
    errs.push({ path, message: `must be one of ${s.enum.map((x) => JSON.stringify(x)).join(", ")}, got ${JSON.stringify(v)?.slice(0, 80)}` });
    return;
  }
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(v, t))) {
      errs.push({ path, message: `must be ${types.join(" or ")}, got ${typeOf(v)}` });
      return;
    }
  }
  if (typeof v === "number") {
    if (s.minimum !== undefined && v < s.minimum) errs.push({ path, message: `must be ≥ ${s.minimum}, got ${v}` });
    if (s.maximum !== undefined && v > s.maximum) errs.push({ path, message: `must be ≤ ${s.maximum}, got ${v}` });
  }
  if (typeof v === "string" && s.minLength !== undefined && v.length < s.minLength) errs.push({ path, message: `must not be empty` });
  if (Array.isArray(v) && s.items) v.forEach((item, i) => check(item, s.items!, `${path}/${i}`, errs));
  if (typeOf(v) === "object" && (s.properties || s.required || s.additionalProperties !== undefined)) {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o) || o[r] === undefined) errs.push({ path: `${path}/${esc(r)}`, message: "is required" });
    for (const [k, val] of Object.entries(o)) {
      if (val === undefined) continue;
      const ps = s.properties?.[k];
      if (ps) check(val, ps, `${path}/${esc(k)}`, errs);
      else if (s.additionalProperties === false) errs.push({ path: `${path}/${esc(k)}`, message: "is not a known field" });
      else if (typeof s.additionalProperties === "object") check(val, s.additionalProperties, `${path}/${esc(k)}`, errs);
    }
  }
}

/** Every problem with `value` as a run result; empty when valid. */
export function validateRunResult(value: unknown): ValidationError[] {
  const errs: ValidationError[] = [];
  check(value, RUN_RESULT_SCHEMA, "", errs);
  if (errs.length) return errs.slice(0, MAX_ERRORS);
  const run = value as RunResult;
  const seen = new Map<string, number>();
  const callIds = new Set(run.calls.map((c) => c.callId));
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  run.cases.forEach((c, i) => {
    if (seen.has(c.id)) errs.push({ path: `/cases/${i}/id`, message: `duplicate case id ${JSON.stringify(c.id)} (also /cases/${seen.get(c.id)})` });
    seen.set(c.id, i);
    counts[c.verdict]++;
    c.callIds.forEach((id, j) => {
      if (!callIds.has(id)) errs.push({ path: `/cases/${i}/callIds/${j}`, message: `no call ${JSON.stringify(id)} in /calls` });
    });
  });
  const callSeen = new Set<string>();
  run.calls.forEach((c, i) => {
    if (callSeen.has(c.callId)) errs.push({ path: `/calls/${i}/callId`, message: `duplicate call id ${JSON.stringify(c.callId)}` });
    callSeen.add(c.callId);
  });
  if (run.summary.total !== run.cases.length) errs.push({ path: "/summary/total", message: `is ${run.summary.total} but there are ${run.cases.length} cases` });
  for (const v of VERDICTS) {
    if (run.summary.counts[v] !== counts[v]) errs.push({ path: `/summary/counts/${v}`, message: `is ${run.summary.counts[v]} but ${counts[v]} cases have that verdict` });
  }
  for (const [key, list] of [["newFailures", run.summary.newFailures], ["unexpectedPasses", run.summary.unexpectedPasses]] as const) {
    list.forEach((id, i) => {
      if (!seen.has(id)) errs.push({ path: `/summary/${key}/${i}`, message: `no case ${JSON.stringify(id)}` });
    });
  }
  return errs.slice(0, MAX_ERRORS);
}

/** Narrowing assertion; throws `RunResultError` listing every problem. */
export function assertRunResult(value: unknown, where?: string): asserts value is RunResult {
  const errs = validateRunResult(value);
  if (errs.length) throw new RunResultError(errs, where);
}

/** Parse and validate a result file's text. */
export function parseRunResult(text: string, where = "run result"): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunResultError([{ path: "", message: `not JSON: ${(e as Error).message}` }], where);
  }
  assertRunResult(value, where);
  // `$schema` names the file's schema; it is not part of the run.
  const { $schema: _, ...run } = value as RunResult & { $schema?: string };
  return run;
}
