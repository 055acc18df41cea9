// The programmatic linter: one BXML document in, every finding out — parser (well-formedness and
// input), platform acceptance (what Bandwidth rejects) and pitfall rules (what works but bites),
// sorted by position. Pure: no I/O, no clock. `bwemu lint` and `answer.bxml.*` both call it.
import { parseBxml, parserRules } from "../emulator/bxml/parse.js";
import { ruleHelpUrl } from "../reports/help.js";
import { checkAcceptance, platformRules } from "../emulator/bxml/acceptance/index.js";
import type { BxmlContext, Diagnostic, Level } from "../emulator/bxml/model.js";
import { pitfallRules } from "../suites/lint/index.js";
import type { LintContext } from "../suites/lint/types.js";

export interface LintOptions {
  /** Where the document runs (§2.30): `initiate` (default) covers every ordinary call document. */
  context?: BxmlContext;
  /** The URL that served the document: relative URLs resolve against it (§1.5). */
  baseUrl?: string;
  /** File name copied onto every diagnostic. */
  file?: string;
  /** Treat warnings as errors (their level becomes `error`); info stays info. */
  strict?: boolean;
}

export interface LintRuleInfo {
  id: string;
  level: Level;
  kind: "platform" | "pitfall";
  description: string;
  /** Bandwidth's (or the XML spec's) public pages the rule rests on. */
  docs: readonly string[];
  /** The rule's bwemu docs page (URL). */
  source: string;
}

/** Id of the diagnostic emitted when a rule itself fails (a bwemu bug, never the document's fault). */
export const INTERNAL_ERROR = "bxml/internal-error";

function catalogue(): LintRuleInfo[] {
  const seen = new Set<string>();
  const out: LintRuleInfo[] = [];
  const add = (r: Omit<LintRuleInfo, "kind" | "source">, kind: LintRuleInfo["kind"]) => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    out.push({ id: r.id, level: r.level, kind, description: r.description, docs: r.docs, source: ruleHelpUrl(r.id) });
  };
  for (const r of parserRules) add(r, "platform");
  for (const r of platformRules) add(r, "platform");
  for (const r of pitfallRules) add(r, "pitfall");
  return out;
}

/** Every rule `lintBxml` can report, for `--list-rules`, SARIF and the docs. */
export const lintRules: LintRuleInfo[] = catalogue();

const LEVEL_ORDER: Record<Level, number> = { error: 0, warning: 1, info: 2 };

/** Every finding for one document: parser + platform + pitfall rules, sorted by position. */
export function lintBxml(text: string | Uint8Array, options: LintOptions = {}): Diagnostic[] {
  const ctx: LintContext = { context: options.context ?? "initiate" };
  if (options.baseUrl !== undefined) ctx.baseUrl = options.baseUrl;
  if (options.file !== undefined) ctx.file = options.file;
  const doc = parseBxml(text, options.file !== undefined ? { file: options.file } : {});
  const found: Diagnostic[] = [...doc.diagnostics];
  const root = doc.root;
  // A wrong root (an HTML error page, JSON…) is not a BXML document: judging its "verbs" is noise.
  if (root && !found.some((d) => d.ruleId === "bxml/wrong-root")) {
    found.push(...guarded("platform acceptance", () => checkAcceptance(doc, { context: ctx.context, ...(ctx.baseUrl !== undefined ? { baseUrl: ctx.baseUrl } : {}) })));
    for (const rule of pitfallRules) found.push(...guarded(rule.id, () => rule.check.call(rule, root, ctx)));
  }
  return finish(found, options);
}

function guarded(what: string, run: () => Diagnostic[]): Diagnostic[] {
  try {
    return run();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{ ruleId: INTERNAL_ERROR, level: "error", message: `bwemu's ${what} check failed (${message}); this is a bwemu bug, please report the document`, line: 1, col: 1 }];
  }
}

function finish(found: Diagnostic[], options: LintOptions): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of found) {
    const key = `${d.ruleId}\u0000${d.line}\u0000${d.col}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const copy: Diagnostic = { ...d };
    if (options.file !== undefined) copy.file = options.file;
    if (options.strict && copy.level === "warning") copy.level = "error";
    out.push(copy);
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col || LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.ruleId.localeCompare(b.ruleId));
}
