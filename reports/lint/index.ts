// The lint formatters by name, as `--format` selects them. Pure functions of the results.
import { formatText } from "./text.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatJunit } from "./junit.js";
import { formatGithub } from "./github.js";
import type { Formatter } from "./types.js";

export const LINT_FORMATS = ["text", "json", "sarif", "junit", "github"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export const lintFormatters: Record<LintFormat, Formatter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
};

export { formatText, formatJson, formatSarif, formatJunit, formatGithub };
export { summary } from "./text.js";
export type { Formatter, FormatOptions, LintResult, RuleMeta } from "./types.js";
