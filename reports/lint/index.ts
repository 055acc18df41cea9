// The lint formatters by name, as `--format` selects them. Pure functions of the results.
import { formatText } from "./text.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatJunit } from "./junit.js";
import type { Formatter } from "./types.js";

export const LINT_FORMATS = ["text", "json", "sarif", "junit"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export const lintFormatters: Record<LintFormat, Formatter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
};

export { formatText, formatJson, formatSarif, formatJunit };
export type { Formatter, LintResult } from "./types.js";
