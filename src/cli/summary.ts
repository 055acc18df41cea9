// What `bwemu test` prints: a line per finished scenario with counts (on a terminal or not, so a CI
// log is never silent), then a compact summary that also reads well in CI logs. Failures the baseline
// expects are shown dimmed as expected, not like new ones.
import type { Writable } from "node:stream";
import { escapeControls } from "../../emulator/text/escape.js";
import { CASE_GROUPS } from "../../suites/runner.js";
import type { TestRunOptions, TestRunOutcome } from "../run/index.js";
import type { CaseResult, Verdict } from "../../reports/model.js";
import type { Colors } from "./colors.js";
import { shownUrl, waitingLine } from "../run/app-ready.js";
import { caseHelpUrl } from "../../reports/help.js";

type Paint = keyof Pick<Colors, "green" | "red" | "yellow" | "cyan" | "gray" | "magenta" | "dim">;
const SYMBOL: Record<Verdict, string> = { pass: "✔", fail: "✘", "non-strict": "!", info: "i", unimplemented: "–", skipped: "·", error: "?" };
const COLOUR: Record<Verdict, Paint> = { pass: "green", fail: "red", "non-strict": "yellow", info: "cyan", unimplemented: "gray", skipped: "gray", error: "magenta" };
const FAILING: readonly Verdict[] = ["fail", "non-strict", "error"];

export type RunProgress = NonNullable<TestRunOptions["onProgress"]> extends (p: infer P) => void ? P : never;

/** A scenario as the progress lines name it: `basic`, or `basic (outbound)` when the run goes both ways. */
const scenarioName = (p: { id: string; direction?: string }) => (p.direction ? `${p.id} (${p.direction})` : p.id);

/** `starts`: also a line as each scenario starts (a terminal, or --verbose). */
export function progressPrinter(out: Writable, opts: { starts: boolean; colors: Colors }) {
  const c = opts.colors;
  let total = 0;
  let done = 0;
  let failed = 0;
  const begun = new Map<string, { at: number; calls: number }>();
  return (p: RunProgress): void => {
    switch (p.kind) {
      case "ready":
        out.write(`bridge ${shownUrl(new URL(p.appUrl))}${p.answerUrl ? `  ·  answer ${shownUrl(new URL(p.answerUrl))}` : ""}${p.stubUrl ? `  ·  Realtime stub ${p.stubUrl}` : ""}\n`);
        return;
      case "waiting":
        out.write(`${waitingLine(p.appUrl, p.waitMs, p.reason)}\n`);
        return;
      case "plan":
        total = p.scenarios * p.repeat;
        out.write(
          `${p.cases} ${p.directions.length > 1 ? "verdict" : "case"}${p.cases === 1 ? "" : "s"}, ${p.scenarios} scenario${p.scenarios === 1 ? "" : "s"}${p.repeat > 1 ? ` × ${p.repeat} runs` : ""}${p.directions.join() === "inbound" ? "" : `, ${p.directions.join(" and ")} calls`}\n`,
        );
        return;
      case "scenario-start":
        begun.set(scenarioName(p), { at: performance.now(), calls: p.calls });
        if (opts.starts) out.write(c.dim(`  ▸ ${scenarioName(p)} (${p.calls} call${p.calls > 1 ? "s" : ""})\n`));
        return;
      case "scenario-done": {
        done++;
        if (!p.ok) failed++;
        const b = begun.get(scenarioName(p));
        const took = b ? `, ${((performance.now() - b.at) / 1000).toFixed(1)} s` : "";
        const calls = b ? `${b.calls} call${b.calls > 1 ? "s" : ""}` : "";
        const mark = p.ok ? c.green("✔") : c.magenta("?");
        const count = `[${done}/${total || "?"}${failed ? `, ${failed} not run to the end` : ""}]`;
        out.write(`  ${mark} ${count} ${scenarioName(p)} (${calls}${took})${p.ok ? "" : `: ${escapeControls(p.detail ?? "")}`}\n`);
        return;
      }
      case "notice":
        out.write(`note: ${escapeControls(p.message)}\n`);
        return;
      case "judged":
        return;
    }
  };
}

/** One case's line: its verdict, or "expected, baseline" (dimmed) when the baseline excuses it. */
function caseLine(x: CaseResult, c: Colors): string {
  const first = x.message && x.verdict !== "pass" ? `  ${escapeControls(x.message.split("\n")[0])}` : "";
  if (x.baseline === "expected" && FAILING.includes(x.verdict)) {
    const why = x.baselineReason ? `: ${x.baselineReason}` : "";
    return c.dim(`  ✗ ${x.id.padEnd(38)} ${x.level.padEnd(6)} ${x.verdict} (expected, baseline${escapeControls(why)})`) + "\n";
  }
  const paint = c[COLOUR[x.verdict]];
  let note = "";
  if (x.baseline === "new-failure") note = c.bold("  (new: the baseline expects another verdict)");
  if (x.baseline === "unexpected-pass") note = c.yellow("  (unexpected pass: the baseline expects a failure; remove it from the baseline)");
  let line = `  ${paint(SYMBOL[x.verdict])} ${x.id.padEnd(38)} ${x.level.padEnd(6)} ${paint(x.verdict)}${first}${note}\n`;
  if (FAILING.includes(x.verdict)) {
    if (x.expected) line += `      expected: ${escapeControls(x.expected)}\n`;
    if (x.observed) line += `      observed: ${escapeControls(x.observed, { multiline: true }).split("\n").join("\n                ")}\n`;
    line += `      docs:     ${caseHelpUrl(x.id)}\n`;
  }
  return line;
}

export function printSummary(out: Writable, o: TestRunOutcome, opts: { colors: Colors }): void {
  const c = opts.colors;
  const r = o.result;
  out.write("\n");
  for (const g of CASE_GROUPS) {
    const cases = r.cases.filter((x) => x.group === g);
    if (!cases.length) continue;
    out.write(`${g}\n`);
    for (const x of cases) out.write(caseLine(x, c));
  }
  const k = r.summary.counts;
  const expected = r.cases.filter((x) => x.baseline === "expected" && FAILING.includes(x.verdict)).length;
  const baseline = r.options.baseline ? `; baseline: ${expected} expected, ${r.summary.newFailures.length} new, ${r.summary.unexpectedPasses.length} unexpected pass${r.summary.unexpectedPasses.length === 1 ? "" : "es"}` : "";
  out.write(
    `\n${r.summary.total} cases: ${k.pass} passed, ${k.fail} failed, ${k["non-strict"]} non-strict, ${k.info} info, ${k.unimplemented} unimplemented, ${k.skipped} skipped, ${k.error} harness errors${baseline}  (${(r.durationMs / 1000).toFixed(1)} s)\n`,
  );
  for (const w of r.harness.warnings) out.write(`${c.yellow("warning:")} ${escapeControls(w)}\n`);
  for (const rep of o.reports) out.write(`${rep.reporter} report: ${rep.path}\n`);
  out.write(`exit code ${o.exitCode}\n`);
}
