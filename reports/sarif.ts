// SARIF 2.1.0 of a run: the lint findings (run 1, produced by the lint formatter `reports/lint/
// sarif.ts` so both commands emit identical lint SARIF, one result per distinct finding) plus the
// conformance verdicts (run 2, tool "bwemu test"): one rule per case (id = case id, helpUri = its
// docs page), one result per case that failed (level error), was non-strict (warning; error under
// --strict) or expected-failed (baselineState "unchanged"). Each result's logical location is the
// case id and its fingerprint is stable across runs; its physical location is app-relative (no host
// or port). Harness errors are tool execution notifications, not results.

import { APP_BASE_DESCRIPTION, artifactLocation, descriptor, lintRun, SARIF_SCHEMA } from "./lint/sarif.js";
import { caseHelpUrl, DOCS_BASE } from "./help.js";
import type { CaseResult, RunResult } from "./model.js";

function message(c: CaseResult): string {
  const parts = [`${c.id}: ${c.title}.`];
  if (c.expected !== undefined) parts.push(`Expected: ${c.expected}.`);
  if (c.observed !== undefined) parts.push(`Observed: ${c.observed}.`);
  if (c.message) parts.push(c.message);
  parts.push(`See ${caseHelpUrl(c.id)}`);
  return parts.join(" ");
}

function location(c: CaseResult, run: RunResult) {
  const where = artifactLocation(c.location?.uri ?? run.target.appUrl);
  return {
    physicalLocation: {
      artifactLocation: where,
      ...(c.location?.line ? { region: { startLine: c.location.line, ...(c.location.col ? { startColumn: c.location.col } : {}) } } : {}),
    },
    logicalLocations: [{ name: c.id, fullyQualifiedName: `${c.group}/${c.id}`, kind: "module" }],
  };
}

/** The public pages a case result carries (its `source` when that is a URL). */
function publicDocs(c: CaseResult): string[] {
  return /^https:\/\//.test(c.source) ? [c.source] : [];
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
        informationUri: `${DOCS_BASE}README.md#conformance-cases`,
        rules: run.cases.map((c) =>
          descriptor(
            c.id,
            c.title || c.id,
            `${c.expectation || c.title || c.id}${c.outcomes.length ? `. Acceptable outcomes: ${c.outcomes.join("; ")}` : ""}`,
            caseHelpUrl(c.id),
            publicDocs(c),
            c.level === "MUST" ? "error" : c.level === "SHOULD" ? (strict ? "error" : "warning") : "note",
            { level: c.level, group: c.group, tags: [c.group, c.level] },
          ),
        ),
      },
    },
    originalUriBaseIds: APP_BASE_DESCRIPTION,
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
      partialFingerprints: { "bwemuCase/v1": c.id },
      ...(c.baseline ? { baselineState: c.baseline === "expected" ? "unchanged" : "new" } : {}),
      properties: { verdict: c.verdict, level: c.level, group: c.group, ...(c.callIds.length ? { callIds: c.callIds } : {}), ...(c.metrics ? { metrics: c.metrics } : {}) },
    })),
  };
}

/** The run's lint findings and conformance failures as one SARIF 2.1.0 log (two runs). */
export function renderSarif(run: RunResult): string {
  const lint = lintRun(run.lint.map((l) => ({ file: l.file, diagnostics: l.diagnostics, source: "" })), { version: run.tool.version });
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: [lint, conformanceRun(run)] }, null, 2) + "\n";
}
