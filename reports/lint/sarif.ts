// SARIF 2.1.0 (OASIS), as GitHub code scanning and most CI dashboards read it: one run, the rule
// catalogue in tool.driver.rules (each with helpUri: its bwemu docs page), one result per distinct
// finding with ruleId/ruleIndex, level, a stable fingerprint and a physical location (artifact URI +
// region startLine/startColumn, UTF-16 columns). A document fetched from the app under test (an
// http(s) URL) is located relative to the app (`uriBaseId` APP), so no host or random port lands in
// the log; the same finding in many fetches of one document is one result with a count.
import type { Diagnostic, Level } from "../../emulator/bxml/model.js";
import { PUBLIC_PAGES } from "../../emulator/references.js";
import { DOCS_BASE, ruleHelpUrl } from "../help.js";
import type { FormatOptions, LintResult, RuleMeta } from "./types.js";

const SARIF_LEVEL: Record<Level, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** The `uriBaseId` of documents served by the app under test (declared in `originalUriBaseIds`). */
export const APP_BASE = "APP";

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** Where a document lives, for SARIF: a relative path as given, or an app URL without scheme, host and port. */
export function artifactLocation(file: string): ArtifactLocation {
  if (file === "<stdin>" || file === "-") return { uri: "stdin" };
  if (/^https?:\/\//i.test(file)) {
    try {
      const u = new URL(file);
      return { uri: u.pathname.replace(/^\/+/, "") || ".", uriBaseId: APP_BASE };
    } catch {
      // not a URL after all: a path
    }
  }
  return { uri: artifactUri(file) };
}

/** A relative URI reference for a path as given on the command line (`<stdin>` → `stdin`). */
export function artifactUri(file: string): string {
  if (file === "<stdin>" || file === "-") return "stdin";
  const p = file.replace(/\\/g, "/");
  return p.split("/").map((seg) => (/^[a-zA-Z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join("/");
}

/** The `originalUriBaseIds` entry for app-relative locations. */
export const APP_BASE_DESCRIPTION = { [APP_BASE]: { description: { text: "The app under test (its origin differs between runs and is left out)." } } };

/** A SARIF reportingDescriptor for a rule or case: help text with its public pages, helpUri its bwemu page. */
export function descriptor(id: string, short: string, full: string, helpUri: string, docs: readonly string[], level: "error" | "warning" | "note", properties: Record<string, unknown>) {
  const see = docs.map((u) => `${PUBLIC_PAGES.get(u) ?? u}: ${u}`);
  const md = docs.map((u) => `- [${PUBLIC_PAGES.get(u) ?? u}](${u})`);
  return {
    id,
    name: id,
    shortDescription: { text: short },
    fullDescription: { text: full },
    helpUri,
    help: {
      text: [full, ...(see.length ? ["See:", ...see] : []), `More: ${helpUri}`].join("\n"),
      markdown: [full, "", ...(md.length ? [...md, ""] : []), `[bwemu docs](${helpUri})`].join("\n"),
    },
    defaultConfiguration: { level },
    properties: { ...properties, ...(docs.length ? { docs } : {}) },
  };
}

interface Finding {
  d: Diagnostic;
  file: string;
  artifactIndex: number;
  count: number;
}

/** One entry per distinct finding (rule, document, line, column); messages that differ only per fetch collapse. */
function distinct(results: readonly LintResult[], artifacts: Map<string, number>): Finding[] {
  const seen = new Map<string, Finding>();
  for (const r of results) {
    const loc = artifactLocation(r.file);
    const key = `${loc.uriBaseId ?? ""}\u0000${loc.uri}`;
    const artifactIndex = artifacts.get(key)!;
    for (const d of r.diagnostics) {
      const k = `${d.ruleId}\u0000${key}\u0000${d.line}\u0000${d.col}`;
      const f = seen.get(k);
      if (f) f.count++;
      else seen.set(k, { d, file: r.file, artifactIndex, count: 1 });
    }
  }
  return [...seen.values()];
}

export function formatSarif(results: readonly LintResult[], options: FormatOptions = {}): string {
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: [lintRun(results, options)] }, null, 2) + "\n";
}

/** The lint run of a SARIF log (also the first run of `bwemu test`'s SARIF). */
export function lintRun(results: readonly LintResult[], options: FormatOptions = {}) {
  const rules: RuleMeta[] = [...(options.rules ?? [])];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const r of results) {
    for (const d of r.diagnostics) {
      if (index.has(d.ruleId)) continue;
      index.set(d.ruleId, rules.length);
      rules.push({ id: d.ruleId, level: d.level, description: d.ruleId, ...(d.source ? { docs: [d.source] } : {}) });
    }
  }
  const artifacts = new Map<string, number>();
  const artifactList: ArtifactLocation[] = [];
  for (const r of results) {
    const loc = artifactLocation(r.file);
    const key = `${loc.uriBaseId ?? ""}\u0000${loc.uri}`;
    if (artifacts.has(key)) continue;
    artifacts.set(key, artifactList.length);
    artifactList.push(loc);
  }
  const findings = distinct(results, artifacts);
  return {
    tool: {
      driver: {
        name: "bwemu lint",
        ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
        informationUri: `${DOCS_BASE}README.md#lint-rules`,
        rules: rules.map((r) =>
          descriptor(r.id, r.description, r.description, ruleHelpUrl(r.id), r.docs ?? [], SARIF_LEVEL[r.level], { ...(r.kind ? { kind: r.kind } : {}) }),
        ),
      },
    },
    ...(artifactList.some((a) => a.uriBaseId) ? { originalUriBaseIds: APP_BASE_DESCRIPTION } : {}),
    columnKind: "utf16CodeUnits",
    artifacts: artifactList.map((location) => ({ location })),
    results: findings.map(({ d, artifactIndex, count }) => {
      const loc = artifactList[artifactIndex];
      const line = Math.max(1, d.line);
      const col = Math.max(1, d.col);
      return {
        ruleId: d.ruleId,
        ruleIndex: index.get(d.ruleId)!,
        level: SARIF_LEVEL[d.level],
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: { ...loc, index: artifactIndex }, region: { startLine: line, startColumn: col } } }],
        partialFingerprints: { "bwemuFinding/v1": `${d.ruleId}:${loc.uri}:${line}:${col}` },
        ...(count > 1 ? { occurrenceCount: count } : {}),
      };
    }),
  };
}
