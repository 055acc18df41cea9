// Selection, judgement and aggregation of conformance cases. Pure: the orchestration in `src/`
// places the calls and hands the recorded runs in; this file decides.

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import picomatch from "picomatch";
import type { CallDirection, CaseContext, CaseOutcome, ConformanceCase, Verdict } from "./types.js";
import { CASE_GROUPS, groupOf } from "./types.js";
import type { ScenarioId } from "./scenarios.js";
import { resolveAgainst, resolvePreconditions } from "./preconditions.js";
import { splitDirected } from "./direction.js";

export { CASE_GROUPS };

/**
 * Every case module under `suites/<group>/`: a file whose default export is a case. Helper modules
 * in the same folders have no default case export and are skipped, so adding a case touches one file.
 */
export async function loadCases(root = dirname(fileURLToPath(import.meta.url))): Promise<ConformanceCase[]> {
  const out: ConformanceCase[] = [];
  for (const group of CASE_GROUPS) {
    let files: string[] = [];
    try {
      files = readdirSync(join(root, group)).filter((f) => /\.(ts|js)$/.test(f) && !/\.test\.|\.d\.ts$/.test(f));
    } catch {
      continue;
    }
    for (const f of files.sort()) {
      const mod = (await import(pathToFileURL(join(root, group, f)).href)) as { default?: ConformanceCase };
      const c = mod.default;
      if (c && typeof c === "object" && typeof c.id === "string" && typeof c.check === "function") out.push(c);
    }
  }
  const ids = new Set<string>();
  for (const c of out) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  return out.sort((a, b) => CASE_GROUPS.indexOf(groupOf(a.id)) - CASE_GROUPS.indexOf(groupOf(b.id)) || a.id.localeCompare(b.id));
}

export interface Selection {
  selected: ConformanceCase[];
  excluded: ConformanceCase[];
}

/** `--cases` / `--exclude` globs over ids (`stream.*`, `*.upstream-*`). No `--cases` selects all. */
export function selectCases(all: ConformanceCase[], include: string[] = [], exclude: string[] = []): Selection {
  const inc = include.length ? picomatch(include, { dot: true }) : () => true;
  const exc = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const selected: ConformanceCase[] = [];
  const excluded: ConformanceCase[] = [];
  for (const c of all) (inc(c.id) && !exc(c.id) ? selected : excluded).push(c);
  return { selected, excluded };
}

/** The scenarios the selected cases read, each once. */
export function scenariosFor(cases: ConformanceCase[]): ScenarioId[] {
  return [...new Set(cases.flatMap((c) => c.scenarios))];
}

export interface CaseVerdict {
  case: ConformanceCase;
  /** The verdict's id when it is not the case's own: `<case id>@outbound` in a run of both directions (suites/direction.ts). */
  id?: string;
  /** The call direction judged, set when a run judges both. */
  direction?: CallDirection;
  verdict: Verdict;
  outcome: CaseOutcome;
  durationMs: number;
}

/** Resolves the case's preconditions and runs its check; a SHOULD failure is `non-strict`, an INFO case never fails, a thrown check is a harness `error`. */
export function judge(c: ConformanceCase, ctx: CaseContext, now: () => number = () => performance.now()): CaseVerdict {
  const t0 = now();
  let outcome: CaseOutcome;
  try {
    const call = resolvePreconditions(c, ctx);
    const against = "verdict" in call ? undefined : resolveAgainst(c, ctx);
    outcome = "verdict" in call ? call : against && "verdict" in against ? against : c.check(call, ctx, against);
  } catch (e) {
    outcome = { verdict: "error", message: `the check failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  // conformance.md: every non-pass verdict carries expected vs observed; a case that only said why
  // (skipped, unimplemented, info) gets its own expectation and that reason.
  if (outcome.verdict !== "pass" && outcome.expected === undefined) outcome = { ...outcome, expected: c.expectation, observed: outcome.observed ?? outcome.message };
  // Data bwemu itself cut short (the run's budget or its call limit ended the calls) proves nothing against the bridge.
  const cut = outcome.verdict === "fail" || outcome.verdict === "error" ? c.scenarios.map((id) => ctx.run(id)?.cutShort ?? ctx.run(id)?.limited).find((w) => w !== undefined) : undefined;
  if (cut !== undefined) outcome = { ...outcome, verdict: "error", message: `not judged: ${cut}, so the data is incomplete (it would have read: ${outcome.observed ?? outcome.message})` };
  let verdict: Verdict = outcome.verdict;
  if (verdict === "fail" && c.level === "SHOULD") verdict = "non-strict";
  if (c.level === "INFO" && (verdict === "fail" || verdict === "pass")) verdict = "info";
  return { case: c, verdict, outcome, durationMs: now() - t0 };
}

/**
 * Expected verdicts per case id, so CI fails only on change (`--baseline expected-failures.json`).
 * An entry for a case id covers its verdicts on both directions; `<case id>@outbound` overrides it for
 * the outbound one.
 */
export interface Baseline {
  cases: Record<string, { verdict: Verdict | Verdict[]; reason?: string }>;
}

export type BaselineStatus = "expected" | "new-failure" | "unexpected-pass";

/** The baseline's entry for a verdict id: its own, else its case's. */
export function baselineEntry(id: string, baseline?: Baseline): Baseline["cases"][string] | undefined {
  return baseline?.cases[id] ?? baseline?.cases[splitDirected(id).id];
}

export function baselineStatus(id: string, verdict: Verdict, baseline?: Baseline): BaselineStatus | undefined {
  const entry = baselineEntry(id, baseline);
  if (!entry) return undefined;
  const allowed = Array.isArray(entry.verdict) ? entry.verdict : [entry.verdict];
  if (allowed.includes(verdict)) return "expected";
  if (verdict === "pass") return "unexpected-pass";
  return "new-failure";
}

/** Across `--repeat N` runs: the worst verdict stands, with the pass rate reported (flake rate). */
export function combineRepeats(runs: CaseVerdict[]): CaseVerdict & { repeat: { runs: number; verdicts: Verdict[]; passRate: number } } {
  const order: Verdict[] = ["error", "fail", "non-strict", "unimplemented", "info", "skipped", "pass"];
  const worst = [...runs].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict))[0];
  const passes = runs.filter((r) => r.verdict === "pass" || r.verdict === "info").length;
  return { ...worst, repeat: { runs: runs.length, verdicts: runs.map((r) => r.verdict), passRate: passes / runs.length } };
}

