// The `github` reporter: GitHub Actions workflow commands on stdout (one `::error` per failed MUST
// case, `::warning` per non-strict SHOULD case, one per distinct lint error or warning with its file
// and line when the document is a file) and the Markdown summary appended to $GITHUB_STEP_SUMMARY
// when it is set. Values are escaped as the runner's command parser expects
// (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions), so a
// bridge's text can neither end an annotation early nor inject a command of its own.
import { appendFile } from "node:fs/promises";
import type { Diagnostic } from "../emulator/bxml/model.js";
import { caseHelpUrl, ruleHelpUrl } from "./help.js";
import { renderMarkdown, type MarkdownOptions } from "./markdown.js";
import type { CaseResult, RunResult } from "./model.js";

export type AnnotationKind = "error" | "warning" | "notice";

export interface AnnotationProps {
  title?: string;
  file?: string;
  line?: number;
  col?: number;
}

/** Escape a command's message: `%`, CR and LF (the runner decodes them back). */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a command property value: as a message, plus `:` and `,` which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One workflow command line, e.g. `::error file=a.xml,line=3,col=5,title=…::message`. */
export function annotation(kind: AnnotationKind, message: string, props: AnnotationProps = {}): string {
  const p: string[] = [];
  if (props.file !== undefined) p.push(`file=${escapeProperty(props.file)}`);
  if (props.line !== undefined) p.push(`line=${props.line}`);
  if (props.col !== undefined) p.push(`col=${props.col}`);
  if (props.title !== undefined) p.push(`title=${escapeProperty(props.title)}`);
  // A message that is only whitespace would print as a bare command; keep one character.
  return `::${kind}${p.length ? ` ${p.join(",")}` : ""}::${escapeData(message) || " "}`;
}

function caseMessage(c: CaseResult): string {
  const lines = [`${c.title} (${c.level})`];
  if (c.expected !== undefined) lines.push(`expected: ${c.expected}`);
  if (c.observed !== undefined) lines.push(`observed: ${c.observed}`);
  if (c.message) lines.push(c.message);
  lines.push(`docs: ${caseHelpUrl(c.id)}`);
  return lines.join("\n");
}

/** A repository file the finding is in, or undefined for a document fetched from the app (a URL). */
function repoFile(file: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file) || file === "<stdin>" ? undefined : file;
}

function lintAnnotation(file: string, d: Diagnostic, count: number): string {
  const where = repoFile(file);
  const text = `${d.message}${count > 1 ? ` (in ${count} fetched documents)` : ""}${where ? "" : `\nin ${file} at ${d.line}:${d.col}`}\ndocs: ${ruleHelpUrl(d.ruleId)}`;
  return annotation(d.level === "error" ? "error" : "warning", text, { ...(where ? { file: where, line: d.line, col: d.col } : {}), title: `bwemu lint: ${d.ruleId}` });
}

/** The annotation lines for a run (no trailing newline per line; join with "\n"). */
export function renderGithub(run: RunResult): string[] {
  const strict = run.options.strict;
  const out: string[] = [];
  for (const c of run.cases) {
    if (c.baseline === "expected") continue; // the baseline excuses it: not news in a pull request
    if (c.verdict === "fail") out.push(annotation("error", caseMessage(c), { title: `bwemu: ${c.id} failed` }));
    else if (c.verdict === "non-strict") out.push(annotation(strict ? "error" : "warning", caseMessage(c), { title: `bwemu: ${c.id} (SHOULD)` }));
    else if (c.verdict === "error") out.push(annotation("warning", caseMessage(c), { title: `bwemu: ${c.id} could not be judged (harness error)` }));
  }
  // Lint findings the run collected: each distinct one once (the same document is fetched per call).
  const seen = new Map<string, { file: string; d: Diagnostic; count: number }>();
  for (const l of run.lint) {
    for (const d of l.diagnostics) {
      if (d.level === "info") continue;
      const key = `${d.ruleId}\u0000${l.file.replace(/^[a-z]+:\/\/[^/]*/i, "")}\u0000${d.line}\u0000${d.col}`;
      const f = seen.get(key);
      if (f) f.count++;
      else seen.set(key, { file: l.file, d, count: 1 });
    }
  }
  for (const f of seen.values()) out.push(lintAnnotation(f.file, f.d, f.count));
  return out;
}

export interface GithubOptions {
  /** Environment to read GITHUB_STEP_SUMMARY from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where the workflow commands go (default process.stdout): the runner reads them from the step's output. */
  write?: (text: string) => void;
  markdown?: MarkdownOptions;
}

/**
 * Print the annotations, append the Markdown summary to $GITHUB_STEP_SUMMARY when set, and return
 * the annotation text (the reporter's file keeps a copy for later steps).
 */
export async function emitGithub(run: RunResult, opts: GithubOptions = {}): Promise<string> {
  const lines = renderGithub(run);
  const text = lines.length ? `${lines.join("\n")}\n` : "";
  (opts.write ?? ((t: string) => process.stdout.write(t)))(text);
  const summary = (opts.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, `${renderMarkdown(run, opts.markdown)}\n`, "utf8");
  return text;
}
