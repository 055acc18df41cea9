// What `bwemu test` prints: progress on a TTY, then a compact summary that also reads well in CI logs.
import type { Writable } from "node:stream";
import { escapeControls } from "../../emulator/text/escape.js";
import { CASE_GROUPS } from "../../suites/runner.js";
import type { TestRunOutcome } from "../run/index.js";
import type { Progress } from "../run/conformance.js";
import { caseHelpUrl } from "../../reports/help.js";

const SYMBOL: Record<string, string> = { pass: "✔", fail: "✘", "non-strict": "!", info: "i", unimplemented: "–", skipped: "·", error: "?" };
const COLOUR: Record<string, string> = { pass: "32", fail: "31", "non-strict": "33", info: "36", unimplemented: "90", skipped: "90", error: "35" };

export function progressPrinter(out: Writable) {
  return (p: Progress | { kind: "ready"; stubUrl?: string; appUrl: string }): void => {
    if (p.kind === "ready") out.write(`bridge ${p.appUrl}${p.stubUrl ? `  ·  Realtime stub ${p.stubUrl}` : ""}\n`);
    else if (p.kind === "scenario-start") out.write(`  ▸ ${p.id} (${p.calls} call${p.calls > 1 ? "s" : ""})\n`);
    else if (p.kind === "scenario-done" && !p.ok) out.write(`  ✘ ${p.id}: ${escapeControls(p.detail ?? "")}\n`);
    else if (p.kind === "notice") out.write(`note: ${escapeControls(p.message)}\n`);
  };
}

export function printSummary(out: Writable, o: TestRunOutcome, opts: { color: boolean }): void {
  const c = (v: string, s: string) => (opts.color ? `\x1b[${COLOUR[v]}m${s}\x1b[0m` : s);
  const r = o.result;
  out.write("\n");
  for (const g of CASE_GROUPS) {
    const cases = r.cases.filter((x) => x.group === g);
    if (!cases.length) continue;
    out.write(`${g}\n`);
    for (const x of cases) {
      out.write(`  ${c(x.verdict, SYMBOL[x.verdict])} ${x.id.padEnd(38)} ${x.level.padEnd(6)} ${c(x.verdict, x.verdict)}${x.message && x.verdict !== "pass" ? `  ${escapeControls(x.message.split("\n")[0])}` : ""}\n`);
      if (x.verdict === "fail" || x.verdict === "non-strict" || x.verdict === "error") {
        if (x.expected) out.write(`      expected: ${escapeControls(x.expected)}\n`);
        if (x.observed) out.write(`      observed: ${escapeControls(x.observed, { multiline: true }).split("\n").join("\n                ")}\n`);
        out.write(`      docs:     ${caseHelpUrl(x.id)}\n`);
      }
    }
  }
  const k = r.summary.counts;
  out.write(`\n${r.summary.total} cases: ${k.pass} passed, ${k.fail} failed, ${k["non-strict"]} non-strict, ${k.info} info, ${k.unimplemented} unimplemented, ${k.skipped} skipped, ${k.error} harness errors  (${(r.durationMs / 1000).toFixed(1)} s)\n`);
  for (const w of r.harness.warnings) out.write(`warning: ${escapeControls(w)}\n`);
  for (const rep of o.reports) out.write(`${rep.reporter} report: ${rep.path}\n`);
  out.write(`exit code ${o.exitCode}\n`);
}
