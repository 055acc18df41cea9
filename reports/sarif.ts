// SARIF 2.1.0 of a run: the lint findings (run 1, produced by the lint formatter `reports/lint/
// sarif.ts` so both commands emit identical lint SARIF) plus the conformance verdicts (run 2,
// tool "bwemu test"): one rule per case (id = case id, help = its source), one result per case
// that failed (level error), was non-strict (warning; error under --strict) or expected-failed
// (baselineState "unchanged"). Harness errors are tool execution notifications, not results.

import { artifactUri, formatSarif } from "./lint/sarif.js";
import type { CaseResult, RunResult } from "./model.js";
import { safeHref } from "./html/escape.js";

function message(c: CaseResult): string {
  const parts = [`${c.title}.`];
  if (c.expected !== undefined) parts.push(`Expected: ${c.expected}.`);
  if (c.observed !== undefined) parts.push(`Observed: ${c.observed}.`);
  if (c.message) parts.push(c.message);
  return parts.join(" ");
}

function location(c: CaseResult, run: RunResult) {
  const uri = c.location?.uri ?? run.target.appUrl;
  return {
    physicalLocation: {
      artifactLocation: { uri: /^[a-z][a-z0-9+.-]*:/i.test(uri) ? uri : artifactUri(uri) },
      ...(c.location?.line ? { region: { startLine: c.location.line, ...(c.location.col ? { startColumn: c.location.col } : {}) } } : {}),
    },
    logicalLocations: [{ fullyQualifiedName: c.id, kind: "test" }],
  };
}

function conformanceRun(run: RunResult) {
  const strict = run.options.strict;
  const reported = run.cases.filter((c) => c.verdict === "fail" || c.verdict === "non-strict");
  const index = new Map(run.cases.map((c, i) => [c.id, i]));
  return {
    tool: {
      driver: {
        name: "bwemu test",
        version: run.tool.version,
        semanticVersion: run.tool.version,
        informationUri: "https://dev.bandwidth.com/docs/voice/guides/mediaStreaming",
        rules: run.cases.map((c) => {
          const help = safeHref(c.source);
          return {
            id: c.id,
            name: c.id,
            shortDescription: { text: c.title || c.id },
            fullDescription: { text: c.expectation || c.title || c.id },
            ...(help ? { helpUri: help } : {}),
            help: { text: `${c.expectation}${c.outcomes.length ? `\nAcceptable outcomes: ${c.outcomes.join("; ")}` : ""}\nSource: ${c.source}` },
            defaultConfiguration: { level: c.level === "MUST" ? "error" : c.level === "SHOULD" ? (strict ? "error" : "warning") : "note" },
            properties: { level: c.level, group: c.group, tags: [c.group, c.level] },
          };
        }),
      },
    },
    invocations: [
      {
        executionSuccessful: run.summary.exitCode !== 3 && run.summary.exitCode !== 2,
        exitCode: run.summary.exitCode,
        startTimeUtc: run.startedAt,
        endTimeUtc: run.finishedAt,
        toolExecutionNotifications: run.cases
          .filter((c) => c.verdict === "error")
          .map((c) => ({ level: "error", message: { text: `${c.id}: harness error: ${c.message ?? c.observed ?? "the case could not run"}` }, descriptor: { id: c.id } }))
          .concat(run.harness.warnings.map((w) => ({ level: "warning", message: { text: w }, descriptor: { id: "harness" } }))),
      },
    ],
    results: reported.map((c) => ({
      ruleId: c.id,
      ruleIndex: index.get(c.id)!,
      level: c.verdict === "fail" || strict ? "error" : "warning",
      message: { text: message(c) },
      locations: [location(c, run)],
      ...(c.baseline ? { baselineState: c.baseline === "expected" ? "unchanged" : "new" } : {}),
      properties: { verdict: c.verdict, level: c.level, group: c.group, ...(c.callIds.length ? { callIds: c.callIds } : {}), ...(c.metrics ? { metrics: c.metrics } : {}) },
    })),
  };
}

/** The run's lint findings and conformance failures as one SARIF 2.1.0 log (two runs). */
export function renderSarif(run: RunResult): string {
  const lint = JSON.parse(formatSarif(run.lint.map((l) => ({ file: l.file, diagnostics: l.diagnostics, source: "" })), { version: run.tool.version })) as { runs: unknown[] } & Record<string, unknown>;
  lint.runs.push(conformanceRun(run));
  return JSON.stringify(lint, null, 2) + "\n";
}
