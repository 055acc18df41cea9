// SARIF 2.1.0 (OASIS), as GitHub code scanning and most CI dashboards read it: one run, the rule
// catalogue in tool.driver.rules, one result per diagnostic with ruleId/ruleIndex, level and a
// physical location (artifact URI + region startLine/startColumn, UTF-16 columns).
import type { Level } from "../../emulator/bxml/model.js";
import type { FormatOptions, LintResult, RuleMeta } from "./types.js";

const SARIF_LEVEL: Record<Level, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** A relative URI reference for a path as given on the command line (`<stdin>` → `stdin`). */
export function artifactUri(file: string): string {
  if (file === "<stdin>" || file === "-") return "stdin";
  const p = file.replace(/\\/g, "/");
  return p.split("/").map((seg) => (/^[a-zA-Z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join("/");
}

export function formatSarif(results: readonly LintResult[], options: FormatOptions = {}): string {
  const rules: RuleMeta[] = [...(options.rules ?? [])];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const r of results) {
    for (const d of r.diagnostics) {
      if (index.has(d.ruleId)) continue;
      index.set(d.ruleId, rules.length);
      rules.push({ id: d.ruleId, level: d.level, source: d.source ?? "", description: d.ruleId });
    }
  }
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "bwemu lint",
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            informationUri: "https://dev.bandwidth.com/docs/voice/bxml",
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.description },
              fullDescription: { text: r.source ? `${r.description} Source: ${r.source}.` : r.description },
              defaultConfiguration: { level: SARIF_LEVEL[r.level] },
              properties: { ...(r.kind ? { kind: r.kind } : {}), ...(r.source ? { source: r.source } : {}) },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        artifacts: results.map((r) => ({ location: { uri: artifactUri(r.file) } })),
        results: results.flatMap((r, artifactIndex) =>
          r.diagnostics.map((d) => ({
            ruleId: d.ruleId,
            ruleIndex: index.get(d.ruleId)!,
            level: SARIF_LEVEL[d.level],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(r.file), index: artifactIndex },
                  region: { startLine: Math.max(1, d.line), startColumn: Math.max(1, d.col) },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
