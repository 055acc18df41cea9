// What every lint formatter reads: one entry per linted document.
import type { Diagnostic, Level } from "../../emulator/bxml/model.js";

export interface LintResult {
  /** Path as given by the user (or `<stdin>`). */
  file: string;
  diagnostics: Diagnostic[];
  /** The document text, for source excerpts (empty when it could not be read as text). */
  source: string;
}

/** Rule metadata, for formats that describe rules (SARIF). Its bwemu page is derived from `id`. */
export interface RuleMeta {
  id: string;
  level: Level;
  description: string;
  /** Public pages the rule rests on (Bandwidth's docs). */
  docs?: readonly string[];
  kind?: string;
}

export interface FormatOptions {
  /** Lowest level that fails the run: `error` (default) or `warning` (--strict). */
  failOn?: "error" | "warning";
  /** ANSI colour (text only). */
  color?: boolean;
  /** Rule catalogue (SARIF); rules seen only in diagnostics are described from them. */
  rules?: readonly RuleMeta[];
  /** Tool version written into SARIF / JSON. */
  version?: string;
}

export type Formatter = (results: readonly LintResult[], options?: FormatOptions) => string;

export interface Counts {
  files: number;
  filesWithFindings: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function count(results: readonly LintResult[]): Counts {
  const c: Counts = { files: results.length, filesWithFindings: 0, errors: 0, warnings: 0, infos: 0 };
  for (const r of results) {
    if (r.diagnostics.length > 0) c.filesWithFindings++;
    for (const d of r.diagnostics) {
      if (d.level === "error") c.errors++;
      else if (d.level === "warning") c.warnings++;
      else c.infos++;
    }
  }
  return c;
}

/** Whether a diagnostic fails the run at the given threshold. */
export function fails(level: Level, failOn: "error" | "warning" = "error"): boolean {
  return level === "error" || (failOn === "warning" && level === "warning");
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
