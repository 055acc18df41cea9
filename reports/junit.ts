// JUnit XML for CI test dashboards (prior-art §6.1): one <testsuite> per group, one <testcase> per
// case with name = case id and classname = group. Verdicts map onto JUnit's three outcomes:
//   fail                      → <failure> (expected vs observed, message, outcomes, source)
//   non-strict                → <failure> under --strict, else passed with a <system-out> note
//   error                     → <error type="harness"> (the harness, never the bridge)
//   skipped / unimplemented   → <skipped>
//   fail expected by baseline → <skipped> "expected failure (baseline)", so CI fails only on change
// Metrics, level, verdict and baseline mark are <properties>. Escaping reuses the lint formatter's
// xmlEscape (XML 1.0-forbidden characters replaced), plus newline/tab references in attributes.

import { xmlEscape } from "./lint/junit.js";
import type { CaseResult, RunResult } from "./model.js";
import { caseHelpUrl } from "./help.js";

const attr = (s: string) => xmlEscape(s).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
const secs = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

type Outcome = { kind: "pass" | "failure" | "error" | "skipped"; message?: string };

export function junitOutcome(c: CaseResult, strict: boolean): Outcome {
  const headline = [c.expected !== undefined ? `expected ${c.expected}` : "", c.observed !== undefined ? `observed ${c.observed}` : "", c.message ?? ""].filter(Boolean).join("; ");
  switch (c.verdict) {
    case "fail":
      return c.baseline === "expected" ? { kind: "skipped", message: `expected failure (baseline)${c.baselineReason ? `: ${c.baselineReason}` : ""}` } : { kind: "failure", message: headline || "failed" };
    case "non-strict":
      return strict ? { kind: "failure", message: headline || "SHOULD not met" } : { kind: "pass" };
    case "error":
      return { kind: "error", message: headline || "harness error" };
    case "skipped":
      return { kind: "skipped", message: c.message ?? "skipped" };
    case "unimplemented":
      return { kind: "skipped", message: `unimplemented${c.message ? `: ${c.message}` : ""}` };
    default:
      return { kind: "pass" };
  }
}

function detail(c: CaseResult): string {
  const lines = [`${c.id} [${c.level}] ${c.title}`, `verdict: ${c.verdict}`];
  if (c.expected !== undefined) lines.push(`expected: ${c.expected}`);
  if (c.observed !== undefined) lines.push(`observed: ${c.observed}`);
  if (c.message) lines.push(`message: ${c.message}`);
  lines.push(`expectation: ${c.expectation}`);
  if (c.outcomes.length) lines.push("acceptable outcomes:", ...c.outcomes.map((o) => `  - ${o}`));
  lines.push(`source: ${c.source}`, `help: ${caseHelpUrl(c.id)}`);
  if (c.callIds.length) lines.push(`calls: ${c.callIds.join(", ")}`);
  if (c.teardown) lines.push(`teardown: closed by ${c.teardown.closedBy}${c.teardown.code !== undefined ? ` (${c.teardown.code})` : ""}, ${c.teardown.clean ? "clean" : "not clean"}, upstream ${c.teardown.upstreamClosed === null ? "unknown" : c.teardown.upstreamClosed ? "closed" : "open"}`);
  if (c.repeat) lines.push(`repeat: ${c.repeat.verdicts.join(", ")} (pass rate ${(c.repeat.passRate * 100).toFixed(0)}%)`);
  if (c.evidence.length) lines.push(`evidence: ${c.evidence.length} timeline events (seq ${c.evidence[0].seq}–${c.evidence[c.evidence.length - 1].seq}); see the HTML report`);
  return lines.join("\n");
}

function testcase(c: CaseResult, strict: boolean): string {
  const o = junitOutcome(c, strict);
  const props: [string, string][] = [["level", c.level], ["verdict", c.verdict], ["source", c.source], ["help", caseHelpUrl(c.id)]];
  if (c.direction) props.push(["direction", c.direction]);
  if (c.baseline) props.push(["baseline", c.baseline]);
  if (c.repeat) props.push(["passRate", String(c.repeat.passRate)]);
  for (const [k, v] of Object.entries(c.metrics ?? {})) props.push([`metric.${k}`, String(v)]);
  const out = [`    <testcase name="${attr(c.id)}" classname="${attr(c.group)}" time="${secs(c.durationMs)}">`];
  out.push(`      <properties>`, ...props.map(([k, v]) => `        <property name="${attr(k)}" value="${attr(v)}"/>`), `      </properties>`);
  const body = xmlEscape(detail(c));
  if (o.kind === "failure") out.push(`      <failure message="${attr(o.message!)}" type="${attr(c.level)}">${body}</failure>`);
  else if (o.kind === "error") out.push(`      <error message="${attr(o.message!)}" type="harness">${body}</error>`);
  else if (o.kind === "skipped") out.push(`      <skipped message="${attr(o.message!)}"/>`);
  if (o.kind !== "failure" && o.kind !== "error" && (c.verdict !== "pass" || c.observed !== undefined || c.message)) out.push(`      <system-out>${body}</system-out>`);
  out.push(`    </testcase>`);
  return out.join("\n");
}

/** The run as JUnit XML (UTF-8, XML 1.0). */
export function renderJunit(run: RunResult): string {
  const strict = run.options.strict;
  const groups = new Map<string, CaseResult[]>();
  for (const c of run.cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const tally = (cs: CaseResult[]) => {
    const t = { tests: cs.length, failures: 0, errors: 0, skipped: 0, time: 0 };
    for (const c of cs) {
      const k = junitOutcome(c, strict).kind;
      if (k === "failure") t.failures++;
      else if (k === "error") t.errors++;
      else if (k === "skipped") t.skipped++;
      t.time += c.durationMs;
    }
    return t;
  };
  const all = tally(run.cases);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="bwemu test" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="${secs(run.durationMs)}" timestamp="${attr(run.startedAt)}">`);
  for (const [g, cs] of groups) {
    const t = tally(cs);
    out.push(`  <testsuite name="${attr(g)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${secs(t.time)}" timestamp="${attr(run.startedAt)}">`);
    out.push(`    <properties>`);
    for (const [k, v] of [["appUrl", run.target.appUrl], ["realtime", run.target.realtime], ["strict", String(strict)], ["tool", `${run.tool.name} ${run.tool.version}`], ...(run.target.label ? [["label", run.target.label]] : []), ...(run.target.direction && run.target.direction !== "inbound" ? [["direction", run.target.direction]] : [])]) out.push(`      <property name="${attr(k)}" value="${attr(v)}"/>`);
    out.push(`    </properties>`);
    for (const c of cs) out.push(testcase(c, strict));
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}
