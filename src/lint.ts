// The programmatic linter: one BXML document in, every finding out — parser (well-formedness and
// input), platform acceptance (what Bandwidth rejects) and pitfall rules (what works but bites),
// sorted by position. Pure: no I/O, no clock. `bwemu lint` and `answer.bxml.*` both call it.
import { parseBxml } from "../emulator/bxml/parse.js";
import { checkAcceptance, platformRules } from "../emulator/bxml/acceptance/index.js";
import type { BxmlContext, Diagnostic, Level } from "../emulator/bxml/model.js";
import { pitfallRules } from "../suites/lint/index.js";
import type { LintContext } from "../suites/lint/index.js";

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
  source: string;
  description: string;
}

/** Diagnostics the parser itself emits (emulator/bxml/parse.ts); they are platform rules too. */
const PARSER_RULES: readonly Omit<LintRuleInfo, "kind">[] = [
  { id: "bxml/not-well-formed", level: "error", source: "XML 1.0; bandwidth.md §8 row 1", description: "The document is not well-formed XML (reported with the parser's position)." },
  { id: "bxml/empty-document", level: "error", source: "bandwidth.md §1.1, §8 row 2", description: "The document is empty or only whitespace." },
  { id: "bxml/not-text", level: "error", source: "bandwidth.md §1.1, §8 row 2", description: "The input is binary data (NUL bytes, an image, audio, an archive), not XML." },
  { id: "bxml/invalid-utf8", level: "error", source: "XML 1.0 §4.3.3; bandwidth.md §6.2", description: "The input is not valid UTF-8." },
  { id: "bxml/doctype", level: "error", source: "bwemu security policy (no entity expansion); bandwidth.md §8 row 1", description: "A DOCTYPE (and any entity definition) is refused, never expanded." },
  { id: "bxml/too-deep", level: "error", source: "bwemu resource limit; bandwidth.md §2.0", description: "Elements nested deeper than any BXML allows." },
  { id: "bxml/document-too-large", level: "error", source: "bandwidth.md §1.3, OPEN-2", description: "The document is larger than 64 KB." },
  { id: "bxml/wrong-root", level: "error", source: "bandwidth.md §1.1, ED-8", description: "The root element is neither <Response> nor <Bxml>." },
];

function catalogue(): LintRuleInfo[] {
  const seen = new Set<string>();
  const out: LintRuleInfo[] = [];
  const add = (r: Omit<LintRuleInfo, "kind">, kind: LintRuleInfo["kind"]) => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    out.push({ id: r.id, level: r.level, kind, source: r.source, description: r.description });
  };
  for (const r of PARSER_RULES) add(r, "platform");
  for (const r of platformRules) add(r, "platform");
  for (const r of pitfallRules) add(r, "pitfall");
  return out;
}

/** Every rule `lintBxml` can report, for `--list-rules`, SARIF and the docs. */
export const lintRules: LintRuleInfo[] = catalogue();

/** Id of the diagnostic emitted when a rule itself fails (a bwemu bug, never the document's fault). */
export const INTERNAL_ERROR = "bxml/internal-error";

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
    return [{ ruleId: INTERNAL_ERROR, level: "error", message: `bwemu's ${what} check failed (${message}); this is a bwemu bug, please report the document`, line: 1, col: 1, source: "bwemu" }];
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
