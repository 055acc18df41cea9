import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { PAYLOADS } from "../../fixtures/reports/make-fixtures.js";
import { CSP, renderHtml } from "../html/render.js";
import { renderJson, renderJsonIndex } from "../json.js";
import { renderJunit } from "../junit.js";
import { mdCell, renderMarkdown } from "../markdown.js";
import type { RunResult } from "../model.js";
import { renderSarif } from "../sarif.js";
import { parseRunResult, RUN_RESULT_SCHEMA } from "../validate.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/reports");
const load = (name: string): RunResult => parseRunResult(readFileSync(join(fixtures, `run-${name}.json`), "utf8"));
const full = load("full");
const hostile = load("hostile");
const empty = load("empty");

/** Every start tag in an HTML string, with its attribute names. */
function tags(html: string): { name: string; attrs: string[]; text: string }[] {
  const out: { name: string; attrs: string[]; text: string }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    out.push({ name: m[1].toLowerCase(), attrs: [...m[2].matchAll(/\s+([^\s=>]+)(?:="[^"]*")?/g)].map((a) => a[1].toLowerCase()), text: m[0] });
  }
  return out;
}

describe("HTML renderer", () => {
  const html = renderHtml(full);

  it("is one self-contained document: inline CSS/JS, data: audio, no external references", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<link[^>]+href="(?!data:)/);
    expect(html).not.toMatch(/\bsrc="(?!data:)/);
    expect(html.match(/<audio [^>]*src="data:audio\/wav;base64,/g)?.length).toBe(3); // call 2's audio is a path: inlined by writeReports, not here
    expect(html).toContain("not embedded");
  });

  it("ships a strict CSP whose hash matches the one inline script", () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(1);
    const hash = createHash("sha256").update(scripts[0][1]).digest("base64");
    expect(CSP).toContain(`'sha256-${hash}'`);
    expect(CSP).toMatch(/^default-src 'none'/);
    expect(CSP).not.toMatch(/script-src[^;]*unsafe/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP.replace(/'/g, "&#39;")}">`);
  });

  it("shows every case, call, document diagnostic and latency metric", () => {
    for (const c of full.cases) expect(html).toContain(`id="case-${c.id}"`);
    for (const c of full.calls) expect(html).toContain(c.callId);
    expect(html).toContain("stream/insecure-destination");
    expect(html).toMatch(/class="diag error"/);
    expect(html).toContain("Bridge overhead");
    expect(html.match(/<svg class="hist"/g)?.length).toBe(4);
    expect(html.match(/<svg class="wave /g)?.length).toBe(3);
    // Media frames are summarised in the sequence view.
    expect(html).toMatch(/media ×60 inbound #1–60/);
  });

  it("escapes every bridge-controlled string (no executable markup from the hostile run)", () => {
    const h = renderHtml(hostile);
    const t = tags(h);
    expect(t.filter((x) => x.name === "script").length).toBe(1);
    expect(t.filter((x) => ["img", "iframe", "object", "embed", "base", "form", "meta"].includes(x.name) && !/Content-Security-Policy|charset|referrer|viewport|generator/.test(x.text))).toEqual([]);
    expect(t.flatMap((x) => x.attrs).filter((a) => a.startsWith("on"))).toEqual([]);
    expect(h).not.toMatch(/href="\s*javascript:/i);
    for (const p of PAYLOADS.slice(0, 7)) expect(h).not.toContain(p);
    expect(h).toContain("&lt;script&gt;window.__pwned=&quot;script&quot;&lt;/script&gt;");
    // C0 controls become visible symbols, lone non-characters the replacement character.
    expect(h).toContain("␁␈␛[31m ctrl � end");
    expect(h).toContain("unplayable audio: not a RIFF/WAVE file");
  });

  it("renders an empty run", () => {
    const h = renderHtml(empty);
    expect(h).toContain("No cases were selected.");
    expect(h).toContain("No calls were placed.");
    expect(h).toContain("No latency was measured");
  });

  it("bounds timeline rows", () => {
    const h = renderHtml(full, { maxTimelineRows: 5 });
    expect(h).toMatch(/more rows not shown/);
  });
});

describe("JSON renderer", () => {
  it("round-trips the model with schema key order and is byte-stable", () => {
    const text = renderJson(full);
    expect(parseRunResult(text)).toEqual(full);
    expect(JSON.parse(text).$schema).toBe(RUN_RESULT_SCHEMA.$id);
    expect(Object.keys(JSON.parse(text))).toEqual(["$schema", "schemaVersion", "tool", "startedAt", "finishedAt", "durationMs", "target", "options", "summary", "cases", "calls", "latency", "lint", "harness"]);
    const shuffled = Object.fromEntries(Object.entries(full).reverse()) as unknown as RunResult;
    expect(renderJson(shuffled)).toBe(text);
    expect(Object.keys(JSON.parse(text).cases[0]).slice(0, 4)).toEqual(["id", "group", "level", "title"]);
  });

  it("writes an index keyed by case id", () => {
    const idx = JSON.parse(renderJsonIndex(full));
    expect(idx.cases["stream.stop.closes-socket"]).toEqual({ verdict: "fail", level: "MUST", group: "stream", durationMs: 2100, baseline: "new-failure", passRate: 0.2 });
    expect(Object.keys(idx.cases)).toEqual([...full.cases.map((c) => c.id)].sort());
  });
});

describe("JUnit renderer", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => ["testsuite", "testcase", "property"].includes(n) });

  it("is valid XML: testsuite per group, testcase name = id, classname = group", () => {
    const xml = renderJunit(full);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const suites = doc.testsuites.testsuite as { name: string; tests: string; testcase: { name: string; classname: string; failure?: { "#text": string; message: string }; skipped?: unknown; error?: unknown }[] }[];
    expect(suites.map((s) => s.name)).toEqual([...new Set(full.cases.map((c) => c.group))]);
    const cases = suites.flatMap((s) => s.testcase);
    expect(cases.map((c) => c.name)).toEqual(full.cases.map((c) => c.id));
    for (const tc of cases) expect(tc.classname).toBe(full.cases.find((c) => c.id === tc.name)!.group);
    const failing = cases.filter((c) => c.failure);
    expect(failing.map((c) => c.name)).toEqual(["answer.bxml.valid", "stream.stop.closes-socket"]);
    expect(failing[1].failure!["#text"]).toMatch(/expected: the bridge closes the socket ≤ 2000 ms after stop\nobserved: no close frame/);
    expect(failing[1].failure!.message).toMatch(/^expected .*; observed .*; a bridge that keeps/);
    expect(cases.find((c) => c.name === "answer.bxml.keepalive")!.skipped).toMatchObject({ message: "expected failure (baseline): known: BUG-412, fixed in next release" });
    expect(cases.find((c) => c.name === "audio.down.integrity")!.error).toMatchObject({ type: "harness" });
    expect(doc.testsuites).toMatchObject({ tests: "26", failures: "2", errors: "1", skipped: "4" }); // 2 skipped + 1 unimplemented + 1 baseline-expected failure
  });

  it("turns non-strict into failures under --strict", () => {
    const strict = renderJunit({ ...full, options: { ...full.options, strict: true } });
    expect(parser.parse(strict).testsuites.failures).toBe("4");
  });

  it("stays valid XML with hostile text and control characters", () => {
    const xml = renderJunit(hostile);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    const names = (doc.testsuites.testsuite as { testcase: { name: string }[] }[]).flatMap((s) => s.testcase.map((t) => t.name));
    expect(names[0]).toBe(hostile.cases[0].id);
    expect(xml).not.toMatch(/[\u0001\u0008\u001b]/);
  });
});

describe("SARIF renderer", () => {
  it("emits SARIF 2.1.0 with lint findings at file positions and failures by case id", () => {
    const sarif = JSON.parse(renderSarif(full));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs.length).toBe(2);
    const [lint, conf] = sarif.runs;
    expect(lint.results.length).toBe(4);
    expect(lint.results[0]).toMatchObject({ ruleId: "stream/insecure-destination", level: "warning", locations: [{ physicalLocation: { artifactLocation: { uri: "bridge/bxml/answer.xml" }, region: { startLine: 3, startColumn: 61 } } }] });
    expect(conf.tool.driver.name).toBe("bwemu test");
    expect(conf.tool.driver.rules.length).toBe(full.cases.length);
    const ids = conf.results.map((r: { ruleId: string }) => r.ruleId);
    expect(ids).toEqual(["answer.bxml.valid", "answer.bxml.keepalive", "answer.bxml.secure-destination", "stream.stop.closes-socket", "bargein.truncate"]);
    const keep = conf.results[1];
    expect(keep).toMatchObject({ level: "error", baselineState: "unchanged", locations: [{ physicalLocation: { artifactLocation: { uri: "initiate", uriBaseId: "APP" }, region: { startLine: 2, startColumn: 3 } } }] });
    expect(conf.results[2].level).toBe("warning");
    for (const r of conf.results) expect(conf.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(conf.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/audio.down.integrity: harness error/);
  });

  it("handles hostile text (still JSON, no unsafe help URIs)", () => {
    const sarif = JSON.parse(renderSarif(hostile));
    for (const r of sarif.runs[1].tool.driver.rules) if (r.helpUri) expect(r.helpUri).toMatch(/^https?:\/\//);
    expect(sarif.runs[1].results.length).toBeGreaterThan(0);
  });
});

describe("Markdown renderer", () => {
  it("summarises counts, cases to look at and latency", () => {
    const md = renderMarkdown(full, { reportUrl: "https://ci.example/artifacts/report.html" });
    expect(md).toMatch(/^## bwemu: ❌ 2 failing cases \(exit 1\)/);
    expect(md).toContain("[Full HTML report](https://ci.example/artifacts/report.html)");
    expect(md).toContain("| **14** | **3** | **2** | **3** | **1** | **2** | **1** |");
    const rows = md.split("\n").filter((l) => l.startsWith("| [`"));
    expect(rows[0]).toMatch(/^\| \[`answer\.bxml\.valid`\]\(https:\/\/github\.com\/bwemu\/bwemu\/blob\/main\/docs\/cases\/answer\.bxml\.valid\.md\) \| MUST \| ❌ fail \(new\)/);
    expect(rows.map((r) => r.split(" | ")[0].replace(/\]\(.*$/, "]"))).toEqual(["| [`answer.bxml.valid`]", "| [`stream.stop.closes-socket`]", "| [`audio.down.integrity`]", "| [`answer.bxml.secure-destination`]", "| [`bargein.truncate`]", "| [`answer.bxml.keepalive`]"]);
    expect(md).toMatch(/\| bridge overhead \| 22 \| 0 \| 12\.4 ms \| 25\.6 ms \| 31\.9 ms \| 31\.9 ms \| p95 ≤ 50\.0 ms ✅ \|/);
  });

  it("keeps tables intact and inert with hostile text", () => {
    const md = renderMarkdown(hostile);
    const table = md.split("\n").filter((l) => l.startsWith("| [`"));
    expect(table.length).toBeGreaterThan(0);
    for (const row of table) expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
    // Outside code spans (where GitHub shows text literally) no markup survives.
    expect(md.replace(/`[^`\n]*`/g, "")).not.toMatch(/<script|<img|<iframe|<svg/i);
    expect(mdCell("a|b\nc <x> [l](http://e) `t`")).toBe("a\\|b ⏎ c &lt;x&gt; \\[l\\]\\(http:&#47;&#47;e\\) \\`t\\`");
  });

  it("says so when everything passes", () => {
    expect(renderMarkdown(empty)).toMatch(/^## bwemu: ✅ Conformant \(exit 0\)/);
  });
});
