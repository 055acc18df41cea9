// The lint formatters as pure functions: exact text layout, escaping of hostile content, and the
// structural requirements of SARIF 2.1.0 and JUnit XML.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { formatJson, formatJunit, formatSarif, formatText } from "../../reports/lint/index.js";
import type { LintResult } from "../../reports/lint/index.js";
import type { Diagnostic } from "../../emulator/bxml/model.js";
import { lintRules } from "../../src/lint.js";

const d = (over: Partial<Diagnostic>): Diagnostic => ({ ruleId: "stream/no-keepalive", level: "error", message: "fix it", line: 1, col: 1, source: "https://dev.bandwidth.com/docs/voice/bxml/startStream", ...over });

describe("text", () => {
  it("prints file:line:col  level  rule-id  message, the line, a caret and the source", () => {
    const out = formatText([{ file: "a.xml", source: "<Response>\n\t<StartStream/>\n</Response>\n", diagnostics: [d({ line: 2, col: 2 })] }]);
    expect(out).toBe(
      ["a.xml:2:2  error  stream/no-keepalive  fix it", "  2 | \t<StartStream/>", "    | \t^", "  = see: https://dev.bandwidth.com/docs/voice/bxml/startStream",
        "  = help: https://github.com/bwemu/bwemu/blob/main/docs/rules/stream/no-keepalive.md", "", "1 error, 0 warnings, 0 info in 1 of 1 file", ""].join("\n"),
    );
  });

  it("shows a window of a very long line with the caret under the column", () => {
    const line = "x".repeat(5000) + "<Bad/>" + "y".repeat(5000);
    const out = formatText([{ file: "big.xml", source: line, diagnostics: [d({ col: 5001 })] }]);
    const [, excerpt, caret] = out.split("\n");
    expect(excerpt.length).toBeLessThan(130);
    expect(excerpt.indexOf("<Bad/>")).toBe(caret.indexOf("^"));
  });

  it("never writes control characters of the document or message to the terminal", () => {
    const out = formatText([{ file: "evil\u001b[2J.xml", source: "\u001b[31m<Response>\u0007", diagnostics: [d({ message: "bad \u001b]0;title\u0007" })] }]);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it("colours only when asked; a clean run says so", () => {
    const r: LintResult[] = [{ file: "a.xml", source: "<Response/>", diagnostics: [d({ level: "warning" })] }];
    expect(formatText(r)).not.toMatch(/\u001b/);
    expect(formatText(r, { color: true })).toMatch(/\u001b\[33mwarning\u001b\[0m/);
    expect(formatText([{ file: "a.xml", source: "", diagnostics: [] }, { file: "b.xml", source: "", diagnostics: [] }])).toBe("2 files linted, no problems\n");
  });
});

describe("json", () => {
  it("has a summary and every diagnostic, failOn decides `failed`", () => {
    const r: LintResult[] = [{ file: "a.xml", source: "", diagnostics: [d({ level: "warning" }), d({ level: "info", source: undefined })] }];
    const plain = JSON.parse(formatJson(r));
    expect(plain.summary).toEqual({ files: 1, filesWithFindings: 1, errors: 0, warnings: 1, infos: 1, failed: false });
    expect(plain.files[0].diagnostics[1]).toEqual({ ruleId: "stream/no-keepalive", level: "info", message: "fix it", line: 1, col: 1, help: "https://github.com/bwemu/bwemu/blob/main/docs/rules/stream/no-keepalive.md" });
    expect(JSON.parse(formatJson(r, { failOn: "warning" })).summary.failed).toBe(true);
  });
});

describe("sarif", () => {
  it("describes every rule, maps levels, encodes URIs, and links results to rules", () => {
    const r: LintResult[] = [
      { file: "dir with space/a#1.xml", source: "", diagnostics: [d({ level: "info", ruleId: "bxml/relative-url", line: 3, col: 7 })] },
      { file: "<stdin>", source: "", diagnostics: [d({ ruleId: "made/up" })] },
    ];
    const sarif = JSON.parse(formatSarif(r, { rules: lintRules, version: "0.1.0" }));
    const run = sarif.runs[0];
    expect(sarif.version).toBe("2.1.0");
    expect(run.columnKind).toBe("utf16CodeUnits");
    expect(run.tool.driver.rules.length).toBe(lintRules.length + 1); // + the unknown rule, described from its diagnostic
    const [a, b] = run.results;
    expect(a).toMatchObject({ ruleId: "bxml/relative-url", level: "note", locations: [{ physicalLocation: { artifactLocation: { uri: "dir%20with%20space/a%231.xml" }, region: { startLine: 3, startColumn: 7 } } }] });
    expect(run.tool.driver.rules[a.ruleIndex].id).toBe("bxml/relative-url");
    expect(b.locations[0].physicalLocation.artifactLocation.uri).toBe("stdin");
    expect(run.tool.driver.rules[b.ruleIndex].id).toBe("made/up");
    for (const rule of run.tool.driver.rules) expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
  });
});

describe("junit", () => {
  it("escapes everything and drops characters XML cannot carry", () => {
    const r: LintResult[] = [
      { file: `a"<&>'.xml`, source: "", diagnostics: [d({ message: "bad \u0000\u001b <tag> & \"q\" ']]>" })] },
      { file: "ok.xml", source: "", diagnostics: [] },
      { file: "warn.xml", source: "", diagnostics: [d({ level: "warning" }), d({ level: "info" })] },
    ];
    const xml = formatJunit(r);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => n === "testcase" || n === "failure" }).parse(xml);
    const suite = parsed.testsuites.testsuite;
    expect(suite.tests).toBe("3");
    expect(suite.failures).toBe("1");
    expect(suite.testcase[0].name).toBe(`a"<&>'.xml`);
    expect(suite.testcase[0].failure[0].type).toBe("stream/no-keepalive");
    expect(suite.testcase[2].failure).toBeUndefined();
    expect(suite.testcase[2]["system-out"]).toMatch(/warning/);
    expect(new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "testcase" }).parse(formatJunit(r, { failOn: "warning" })).testsuites.testsuite["@_failures"]).toBe("2");
  });
});
