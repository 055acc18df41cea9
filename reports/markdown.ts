// A Markdown summary for a CI step summary ($GITHUB_STEP_SUMMARY): status line, verdict counts,
// the cases that need attention, latency percentiles. GitHub-flavoured tables; every value from the
// run is escaped so a bridge's text can neither break a table (pipes, newlines) nor become markup
// (links, HTML, emphasis). Bounded: at most `maxRows` rows per table, cells clipped.

import type { CaseResult, LatencyMetric, RunResult, Verdict } from "./model.js";
import { VERDICTS } from "./model.js";
import { caseHelpUrl } from "./help.js";

export interface MarkdownOptions {
  /** Link to the HTML report (e.g. a CI artifact URL), shown under the status line. */
  reportUrl?: string;
  /** Rows per table (default 50). */
  maxRows?: number;
  /** Characters per cell (default 160). */
  maxCell?: number;
}

const EMOJI: Record<Verdict, string> = { pass: "✅", fail: "❌", "non-strict": "⚠️", info: "ℹ️", unimplemented: "🚧", skipped: "⏭️", error: "💥" };

/** Escape text for a GFM table cell: HTML and Markdown punctuation neutralised, one line. */
export function mdCell(s: string, max = 160): string {
  const flat = s.replace(/\r\n?|\n/g, " ⏎ ").replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, "�");
  const cut = flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
  return cut
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}\[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, ":&#47;&#47;"); // no autolinks from bridge text
}

const code = (s: string) => `\`${s.replace(/`/g, "ˋ").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ")}\``;

function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`;
}

function attention(c: CaseResult, strict: boolean): number {
  if (c.verdict === "fail" && c.baseline !== "expected") return 0;
  if (c.verdict === "non-strict" && strict) return 1;
  if (c.verdict === "error") return 2;
  if (c.verdict === "non-strict") return 3;
  if (c.verdict === "fail") return 4; // expected by the baseline
  return -1;
}

export function renderMarkdown(run: RunResult, opts: MarkdownOptions = {}): string {
  const max = opts.maxRows ?? 50;
  const cell = (s: string | undefined) => (s === undefined || s === "" ? "—" : mdCell(s, opts.maxCell ?? 160));
  const s = run.summary;
  const out: string[] = [];
  const status = s.exitCode === 0 ? "✅ Conformant" : s.exitCode === 1 ? `❌ ${s.newFailures.length} failing case${s.newFailures.length === 1 ? "" : "s"}` : s.exitCode === 3 ? "💥 Harness errors" : "⛔ Usage error";
  out.push(`## bwemu: ${status} (exit ${s.exitCode})`, "");
  out.push(`${cell(run.target.label ?? "")} ${code(run.target.appUrl)} · model ${run.target.realtime === "stub" ? "stub" : code(run.target.realtime)}${run.target.direction && run.target.direction !== "inbound" ? ` · ${run.target.direction === "both" ? "inbound and outbound" : "outbound"} calls` : ""} · ${s.total} cases in ${(run.durationMs / 1000).toFixed(1)} s · ${run.tool.name} ${run.tool.version}${run.options.strict ? " · `--strict`" : ""}${run.options.baseline ? ` · baseline ${code(run.options.baseline)}` : ""}`.replace(/^— /, ""));
  if (opts.reportUrl) out.push("", `[Full HTML report](${encodeURI(opts.reportUrl).replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29"))})`);
  out.push("", `| ${VERDICTS.map((v) => `${EMOJI[v]} ${v}`).join(" | ")} |`, `|${VERDICTS.map(() => ":-:").join("|")}|`, `| ${VERDICTS.map((v) => (s.counts[v] ? `**${s.counts[v]}**` : "0")).join(" | ")} |`);
  if (s.unexpectedPasses.length) out.push("", `Unexpected passes (the baseline can shrink): ${s.unexpectedPasses.map(code).join(", ")}`);

  const needs = run.cases.map((c) => ({ c, a: attention(c, run.options.strict) })).filter((x) => x.a >= 0).sort((x, y) => x.a - y.a);
  if (needs.length) {
    out.push("", "### Cases to look at", "", "| case | level | verdict | expected | observed | message |", "|---|---|---|---|---|---|");
    for (const { c } of needs.slice(0, max)) {
      const tag = c.baseline === "expected" ? " (baseline)" : c.baseline === "new-failure" ? " (new)" : "";
      out.push(`| [${code(c.id)}](${caseHelpUrl(c.id)}) | ${c.level} | ${EMOJI[c.verdict]} ${c.verdict}${tag} | ${cell(c.expected)} | ${cell(c.observed)} | ${cell(c.message)} |`);
    }
    if (needs.length > max) out.push("", `… and ${needs.length - max} more (see the HTML or JSON report).`);
  }

  const metrics: [string, LatencyMetric | undefined][] = [["turn", run.latency.turn], ["bridge overhead", run.latency.bridgeOverhead], ["greeting", run.latency.greeting], ["barge-in", run.latency.bargein]];
  const present = metrics.filter((m): m is [string, LatencyMetric] => !!m[1]);
  if (present.length) {
    out.push("", "### Latency", "", "| metric | n | failures | p50 | p95 | p99 | max | budget |", "|---|--:|--:|--:|--:|--:|--:|---|");
    for (const [name, m] of present) {
      const pct = m.budgetPercentile ?? "p95";
      const over = m.budgetMs !== undefined && m[pct] !== null && m[pct]! > m.budgetMs;
      out.push(`| ${name} | ${m.n}${m.lowN ? " (low n)" : ""} | ${m.failures} | ${fmtMs(m.p50)} | ${fmtMs(m.p95)} | ${fmtMs(m.p99)} | ${fmtMs(m.max)} | ${m.budgetMs !== undefined ? `${pct} ≤ ${fmtMs(m.budgetMs)}${over ? " ❌" : " ✅"}` : "—"} |`);
    }
    if (run.latency.jitterDown) out.push("", `Downstream jitter: ${run.latency.jitterDown.underruns} underrun${run.latency.jitterDown.underruns === 1 ? "" : "s"} (${fmtMs(run.latency.jitterDown.underrunMs)}), gap p95 ${fmtMs(run.latency.jitterDown.gaps.p95)}.`);
  }
  if (run.harness.warnings.length) {
    out.push("", "### Harness warnings", "");
    for (const w of run.harness.warnings.slice(0, max)) out.push(`- ${mdCell(w, 300)}`);
  }
  return out.join("\n") + "\n";
}
