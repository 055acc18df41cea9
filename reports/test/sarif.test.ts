// SARIF of a run (`--reporter sarif`) and of `bwemu lint --format sarif`: valid SARIF 2.1.0, one
// result per failed case located by its id, each lint finding once, no host or port in a location,
// every rule's helpUri its page in docs/.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderSarif } from "../sarif.js";
import { formatSarif } from "../lint/sarif.js";
import { parseRunResult } from "../validate.js";
import type { RunResult } from "../model.js";
import type { Diagnostic } from "../../emulator/bxml/model.js";
import { DOCS_BASE } from "../help.js";
import { lintRules } from "../../src/lint.js";
import { sarifProblems } from "../../test/support/sarif.js";

const fixtures = fileURLToPath(new URL("../../fixtures/reports/", import.meta.url));
const DOCS = fileURLToPath(new URL("../../docs/", import.meta.url));
const load = (name: string): RunResult => parseRunResult(readFileSync(join(fixtures, `run-${name}.json`), "utf8"));

/** A run like a real one against a faulty bridge: the same document fetched by 24 calls, each copy's message naming its call. */
function manyFetches(): RunResult {
  const run = load("full");
  const url = "http://127.0.0.1:42031/voice";
  const diag = (i: number): Diagnostic => ({ ruleId: "stream/insecure-destination", level: "warning", message: `destination uses ws://: write wss://127.0.0.1:42031/media?call_id=c-${i}`, line: 3, col: 5, source: "https://dev.bandwidth.com/docs/voice/guides/mediaStreaming" });
  return { ...run, target: { ...run.target, appUrl: url }, lint: Array.from({ length: 24 }, (_, i) => ({ file: url, diagnostics: [diag(i)] })) };
}

const uris = (log: { runs: { results: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[]; artifacts?: { location: { uri: string } }[] }[] }) =>
  log.runs.flatMap((r) => [...r.results.flatMap((x) => x.locations.map((l) => l.physicalLocation?.artifactLocation.uri ?? "")), ...(r.artifacts ?? []).map((a) => a.location.uri)]);

describe("bwemu test SARIF", () => {
  it("is structurally valid SARIF 2.1.0 for every fixture run", () => {
    for (const name of ["full", "hostile", "empty"]) expect(sarifProblems(JSON.parse(renderSarif(load(name)))), name).toEqual([]);
  });

  it("carries one result per failed or non-strict case, the case id as rule and logical location, a stable fingerprint", () => {
    const run = load("full");
    const conf = JSON.parse(renderSarif(run)).runs[1];
    const failed = run.cases.filter((c) => c.verdict === "fail" || c.verdict === "non-strict").map((c) => c.id);
    expect(conf.results.map((r: { ruleId: string }) => r.ruleId)).toEqual(failed);
    for (const r of conf.results) {
      expect(r.locations[0].logicalLocations[0].name).toBe(r.ruleId);
      expect(r.partialFingerprints["bwemuCase/v1"]).toBe(r.ruleId);
      expect(r.message.text).toContain(`${DOCS_BASE}cases/${r.ruleId}.md`);
    }
    expect(conf.results.find((r: { ruleId: string }) => r.ruleId === "answer.bxml.keepalive").baselineState).toBe("unchanged");
  });

  it("every case rule's helpUri is its page in docs/ (and the page exists)", () => {
    const conf = JSON.parse(renderSarif(load("full"))).runs[1];
    for (const rule of conf.tool.driver.rules) {
      expect(rule.helpUri).toBe(`${DOCS_BASE}cases/${rule.id}.md`);
      expect(existsSync(join(DOCS, rule.helpUri.slice(DOCS_BASE.length))), rule.id).toBe(true);
    }
  });

  it("reports a finding of a document fetched by 24 calls once, located relative to the app (no host, no port)", () => {
    const log = JSON.parse(renderSarif(manyFetches()));
    expect(sarifProblems(log)).toEqual([]);
    const lint = log.runs[0];
    expect(lint.results).toHaveLength(1);
    expect(lint.results[0]).toMatchObject({ ruleId: "stream/insecure-destination", occurrenceCount: 24, locations: [{ physicalLocation: { artifactLocation: { uri: "voice", uriBaseId: "APP" }, region: { startLine: 3, startColumn: 5 } } }] });
    expect(lint.tool.driver.rules[0].helpUri).toBe(`${DOCS_BASE}rules/stream/insecure-destination.md`);
    for (const u of uris(log)) expect(u).not.toMatch(/127\.0\.0\.1|localhost|:\d+/);
    // The same run twice (another port) gives the same locations and fingerprints.
    const again = manyFetches();
    const other = JSON.parse(renderSarif({ ...again, lint: again.lint.map((l) => ({ ...l, file: "http://127.0.0.1:51234/voice" })) }));
    expect(other.runs[0].results[0].partialFingerprints).toEqual(lint.results[0].partialFingerprints);
    expect(other.runs[0].results[0].locations).toEqual(lint.results[0].locations);
  });
});

describe("bwemu lint SARIF", () => {
  it("is valid, and every rule of the catalogue has a helpUri to an existing docs page and its public pages", () => {
    const log = JSON.parse(formatSarif([{ file: "bxml/a.xml", source: "", diagnostics: [] }], { rules: lintRules, version: "0.1.0" }));
    expect(sarifProblems(log)).toEqual([]);
    const rules = log.runs[0].tool.driver.rules;
    expect(rules).toHaveLength(lintRules.length);
    for (const r of rules) {
      expect(existsSync(join(DOCS, r.helpUri.slice(DOCS_BASE.length))), r.id).toBe(true);
      expect(r.help.text).toContain(r.helpUri);
      for (const u of lintRules.find((x) => x.id === r.id)!.docs) expect(r.help.markdown).toContain(`(${u})`);
    }
  });
});
