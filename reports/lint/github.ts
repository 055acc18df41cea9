// `bwemu lint --format github`: one GitHub Actions annotation per finding at the failing level
// (`::error`) or below it (`::warning`; info stays out), with the file, line and column, so the
// finding shows on the pull request's diff. Then the usual one-line summary as a plain log line.
import { annotation } from "../github.js";
import { ruleHelpUrl } from "../help.js";
import { summary } from "./text.js";
import { fails } from "./types.js";
import type { FormatOptions, LintResult } from "./types.js";

export function formatGithub(results: readonly LintResult[], options: FormatOptions = {}): string {
  const out: string[] = [];
  for (const r of results) {
    const file = r.file === "<stdin>" ? undefined : r.file;
    for (const d of r.diagnostics) {
      if (d.level === "info") continue;
      const kind = fails(d.level, options.failOn) ? "error" : "warning";
      out.push(annotation(kind, `${d.message}\ndocs: ${ruleHelpUrl(d.ruleId)}`, { ...(file ? { file, line: d.line, col: d.col } : {}), title: `bwemu lint: ${d.ruleId}` }));
    }
  }
  out.push(summary(results, { ...options, color: false }));
  return out.join("\n") + "\n";
}
