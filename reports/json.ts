// JSON reporter: the run result itself, with a stable key order so two runs diff cleanly. Keys the
// schema names come in the schema's order (schemaVersion, tool, … cases, calls); free-form objects
// (event data, metrics, headers) have their keys sorted. Array order is the producer's (cases in
// catalogue order, events in seq order). Plus an Autobahn-style index keyed by case id.

import type { BaselineMark, CaseLevel, RecordedEvent, RunResult, Verdict } from "./model.js";
import { RUN_RESULT_SCHEMA } from "./validate.js";

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: boolean | Schema };

function resolve(s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return (RUN_RESULT_SCHEMA.$defs as Record<string, Schema>)[s.$ref.replace(/^#\/\$defs\//, "")];
}

const keyCache = new Map<Schema, { keys: string[]; set: Set<string> }>();
const NONE = { keys: [] as string[], set: new Set<string>() };
const EVENT = (RUN_RESULT_SCHEMA.$defs as Record<string, Schema>).event;

function knownKeys(s: Schema | undefined) {
  if (!s?.properties) return NONE;
  let k = keyCache.get(s);
  if (!k) keyCache.set(s, (k = { keys: Object.keys(s.properties), set: new Set(Object.keys(s.properties)) }));
  return k;
}

/** The object's defined keys in output order, each with its sub-schema. */
function entries(o: Record<string, unknown>, s: Schema | undefined): [string, Schema | undefined][] {
  const known = knownKeys(s);
  const out: [string, Schema | undefined][] = [];
  for (const k of known.keys) if (o[k] !== undefined) out.push([k, s!.properties![k]]);
  const rest = Object.keys(o).filter((k) => !known.set.has(k) && o[k] !== undefined);
  if (rest.length > 1) rest.sort();
  const extra = typeof s?.additionalProperties === "object" ? s.additionalProperties : undefined;
  for (const k of rest) out.push([k, extra]);
  return out;
}

function ordered(v: unknown, schema: Schema | undefined): unknown {
  if (v === null || typeof v !== "object") return v;
  const s = resolve(schema);
  if (Array.isArray(v)) return v.map((x) => ordered(x, s?.items));
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, ks] of entries(o, s)) out[k] = ordered(o[k], ks);
  return out;
}

/** A copy with object keys sorted at every level (event data is free-form). */
function sortedDeep(x: unknown, depth = 0): unknown {
  if (x === null || typeof x !== "object" || depth > 32) return x;
  if (Array.isArray(x)) return x.map((y) => sortedDeep(y, depth + 1));
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) sorted = false;
  if (sorted && keys.every((k) => o[k] === null || typeof o[k] !== "object")) return o;
  const out: Record<string, unknown> = {};
  for (const k of sorted ? keys : [...keys].sort()) out[k] = sortedDeep(o[k], depth + 1);
  return out;
}

function eventJson(e: RecordedEvent): string {
  return JSON.stringify({ seq: e.seq, t: e.t, lane: e.lane, kind: e.kind, ...(e.callId !== undefined ? { callId: e.callId } : {}), data: sortedDeep(e.data) });
}

/**
 * Pretty JSON, except timeline events: one compact line each (smaller, and diffs line up). Yielded
 * piece by piece: a run with a flood in it is larger than one string may be (V8's limit is ~512 MiB).
 */
function* pretty(v: unknown, schema: Schema | undefined, ind: string): Generator<string> {
  if (v === null || typeof v !== "object") return yield JSON.stringify(v) ?? "null";
  const s = resolve(schema);
  if (s === EVENT) return yield eventJson(v as RecordedEvent);
  const inner = ind + "  ";
  if (Array.isArray(v)) {
    if (!v.length) return yield "[]";
    yield "[\n";
    for (let i = 0; i < v.length; i++) {
      yield inner;
      yield* pretty(v[i], s?.items, inner);
      yield i < v.length - 1 ? ",\n" : "\n";
    }
    return yield `${ind}]`;
  }
  const o = v as Record<string, unknown>;
  const es = entries(o, s);
  if (!es.length) return yield "{}";
  yield "{\n";
  for (let i = 0; i < es.length; i++) {
    const [k, ks] = es[i];
    yield `${inner}${JSON.stringify(k)}: `;
    yield* pretty(o[k], ks, inner);
    yield i < es.length - 1 ? ",\n" : "\n";
  }
  yield `${ind}}`;
}

/** The run result as JSON text in pieces (what `writeReports` streams to results.json). */
export function* renderJsonChunks(run: RunResult): Generator<string> {
  yield* pretty(withSchema(run), RUN_RESULT_SCHEMA as Schema, "");
  yield "\n";
}

/**
 * The run result as JSON text: 2-space indent with one line per timeline event, trailing newline,
 * stable key order. `compact` writes a single line.
 */
export function renderJson(run: RunResult, opts: { compact?: boolean } = {}): string {
  return opts.compact ? JSON.stringify(ordered(withSchema(run), RUN_RESULT_SCHEMA as Schema)) + "\n" : [...renderJsonChunks(run)].join("");
}

/** results.json names its schema (`bwemu/schema`). */
function withSchema(run: RunResult): object {
  return { $schema: RUN_RESULT_SCHEMA.$id, ...run };
}

export interface IndexEntry {
  verdict: Verdict;
  /** In a run of both directions: the case id and the direction the verdict judged. */
  caseId?: string;
  direction?: "inbound" | "outbound";
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
      ...(c.direction ? { caseId: c.caseId, direction: c.direction } : {}),
      level: c.level,
      group: c.group,
      durationMs: c.durationMs,
      ...(c.baseline ? { baseline: c.baseline } : {}),
      ...(c.repeat ? { passRate: c.repeat.passRate } : {}),
    };
  }
  return JSON.stringify({ schemaVersion: run.schemaVersion, exitCode: run.summary.exitCode, cases: index }, null, 2) + "\n";
}
