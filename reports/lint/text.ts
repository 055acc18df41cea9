// Compiler-style text: `file:line:col  level  rule-id  message`, the source line, a caret under the
// column, the rule's public page (`= see:`) and its bwemu docs page (`= help:`); a summary line at the end. Colour only when asked (the CLI asks
// when stdout is a TTY, honouring NO_COLOR / FORCE_COLOR). Never writes control characters from the
// document to the terminal.
import pc from "picocolors";
import type { Diagnostic, Level } from "../../emulator/bxml/model.js";
import { escapeControls, maskControls } from "../../emulator/text/escape.js";
import { ruleHelpUrl } from "../help.js";
import { count, plural } from "./types.js";
import type { FormatOptions, LintResult } from "./types.js";

const WINDOW = 100; // characters of a long source line shown around the column

type Style = "red" | "yellow" | "cyan" | "dim" | "bold" | "green";

function paint(on: boolean) {
  const colors = pc.createColors(on);
  return (style: Style, s: string) => colors[style](s);
}

const LEVEL_COLOR: Record<Level, Style> = { error: "red", warning: "yellow", info: "cyan" };

/** Controls (the shared terminal rule: C0, C1, DEL, bidi; tab kept) and lone surrogates become U+FFFD, one for one, so the caret stays aligned. */
export function printable(s: string): string {
  return maskControls(s).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

function lineAt(lines: string[], n: number): string | undefined {
  const l = lines[n - 1];
  return l === undefined ? undefined : l.replace(/\r$/, "");
}

/** The excerpt and caret lines for one diagnostic, or [] when there is no source to show. */
function excerpt(lines: string[], d: Diagnostic, c: ReturnType<typeof paint>): string[] {
  const line = lineAt(lines, d.line);
  if (line === undefined || d.col < 1) return [];
  const col = Math.min(d.col, line.length + 1);
  const start = col - 1 > WINDOW / 2 ? col - 1 - WINDOW / 2 : 0;
  const end = Math.min(line.length, start + WINDOW);
  const shown = (start > 0 ? "…" : "") + printable(line.slice(start, end)) + (end < line.length ? "…" : "");
  const lead = (start > 0 ? " " : "") + line.slice(start, col - 1).replace(/[^\t]/g, " ");
  const gutter = String(d.line);
  const pad = " ".repeat(gutter.length);
  return [`  ${c("dim", `${gutter} |`)} ${shown}`, `  ${c("dim", `${pad} |`)} ${lead}${c(LEVEL_COLOR[d.level], "^")}`];
}

export function formatText(results: readonly LintResult[], options: FormatOptions = {}): string {
  const c = paint(options.color === true);
  const out: string[] = [];
  for (const r of results) {
    if (r.diagnostics.length === 0) continue;
    const lines = r.source.split("\n");
    for (const d of r.diagnostics) {
      out.push(`${c("bold", `${printable(r.file)}:${d.line}:${d.col}`)}  ${c(LEVEL_COLOR[d.level], d.level)}  ${c("dim", d.ruleId)}  ${escapeControls(d.message)}`);
      out.push(...excerpt(lines, d, c));
      if (d.source) out.push(`  ${c("dim", `= see: ${printable(d.source)}`)}`);
      out.push(`  ${c("dim", `= help: ${ruleHelpUrl(d.ruleId)}`)}`);
    }
    out.push("");
  }
  out.push(summary(results, options));
  return out.join("\n") + "\n";
}

export function summary(results: readonly LintResult[], options: FormatOptions = {}): string {
  const c = paint(options.color === true);
  const k = count(results);
  const files = plural(k.files, "file");
  if (k.errors + k.warnings + k.infos === 0) return c("green", `${files} linted, no problems`);
  const parts = [plural(k.errors, "error"), plural(k.warnings, "warning"), `${k.infos} info`];
  const failing = k.errors > 0 || (options.failOn === "warning" && k.warnings > 0);
  return c(failing ? "red" : "yellow", `${parts.join(", ")} in ${k.filesWithFindings} of ${files}`);
}
