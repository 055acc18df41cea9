// JSON reporter: the run result itself, with a stable key order so two runs diff cleanly. Keys the
// schema names come in the schema's order (schemaVersion, tool, … cases, calls); free-form objects
// (event data, metrics, headers) have their keys sorted. Array order is the producer's (cases in
// catalogue order, events in seq order). Plus an Autobahn-style index keyed by case id.

import type { RunResult, Verdict, CaseLevel, BaselineMark } from "./model.js";
import { RUN_RESULT_SCHEMA } from "./validate.js";

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: boolean | Schema };

function resolve(s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return (RUN_RESULT_SCHEMA.$defs as Record<string, Schema>)[s.$ref.replace(/^#\/\$defs\//, "")];
}

function ordered(v: unknown, schema: Schema | undefined): unknown {
  const s = resolve(schema);
  if (Array.isArray(v)) return v.map((x) => ordered(x, s?.items));
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const known = s?.properties ? Object.keys(s.properties) : [];
  for (const k of known) if (o[k] !== undefined) out[k] = ordered(o[k], s!.properties![k]);
  const rest = Object.keys(o).filter((k) => !known.includes(k) && o[k] !== undefined).sort();
  const extra = typeof s?.additionalProperties === "object" ? s.additionalProperties : undefined;
  for (const k of rest) out[k] = ordered(o[k], extra);
  return out;
}

/** The run result as JSON text (2-space indent, trailing newline, stable key order). */
export function renderJson(run: RunResult, opts: { indent?: number } = {}): string {
  return JSON.stringify(ordered(run, RUN_RESULT_SCHEMA as Schema), null, opts.indent ?? 2) + "\n";
}

export interface IndexEntry {
  verdict: Verdict;
  level: CaseLevel;
  group: string;
  durationMs: number;
  baseline?: BaselineMark;
  passRate?: number;
}

/** `{ [caseId]: { verdict, level, group, durationMs, … } }` like Autobahn's index.json, ids sorted. */
export function renderJsonIndex(run: RunResult): string {
  const index: Record<string, IndexEntry> = {};
  for (const c of [...run.cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    index[c.id] = {
      verdict: c.verdict,
      level: c.level,
      group: c.group,
      durationMs: c.durationMs,
      ...(c.baseline ? { baseline: c.baseline } : {}),
      ...(c.repeat ? { passRate: c.repeat.passRate } : {}),
    };
  }
  return JSON.stringify({ schemaVersion: run.schemaVersion, exitCode: run.summary.exitCode, cases: index }, null, 2) + "\n";
}
