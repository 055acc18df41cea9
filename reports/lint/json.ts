// Machine-readable results: stable field names, one entry per file, a summary.
import { ruleHelpUrl } from "../help.js";
import { count, fails } from "./types.js";
import type { FormatOptions, LintResult } from "./types.js";

export function formatJson(results: readonly LintResult[], options: FormatOptions = {}): string {
  const k = count(results);
  const failOn = options.failOn ?? "error";
  const doc = {
    tool: "bwemu lint",
    ...(options.version ? { version: options.version } : {}),
    failOn,
    summary: { ...k, failed: results.some((r) => r.diagnostics.some((d) => fails(d.level, failOn))) },
    files: results.map((r) => ({
      file: r.file,
      diagnostics: r.diagnostics.map((d) => ({
        ruleId: d.ruleId,
        level: d.level,
        message: d.message,
        line: d.line,
        col: d.col,
        ...(d.source ? { source: d.source } : {}),
        help: ruleHelpUrl(d.ruleId),
      })),
    })),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
