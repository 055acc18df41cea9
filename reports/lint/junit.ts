// JUnit XML: one testsuite, one testcase per file, one <failure> per diagnostic at the failing level
// (errors; warnings too with --strict). Lower levels go to <system-out>. Everything escaped, and
// characters XML 1.0 forbids (from binary input) are replaced, so the report always parses.
import { ruleHelpUrl } from "../help.js";
import { count, fails } from "./types.js";
import type { FormatOptions, LintResult } from "./types.js";

/** Escape for XML text and attribute values; drop characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function formatJunit(results: readonly LintResult[], options: FormatOptions = {}): string {
  const failOn = options.failOn ?? "error";
  const k = count(results);
  const failures = results.filter((r) => r.diagnostics.some((d) => fails(d.level, failOn))).length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="bwemu lint" tests="${k.files}" failures="${failures}" errors="0">`);
  out.push(`  <testsuite name="bwemu lint" tests="${k.files}" failures="${failures}" errors="0" skipped="0">`);
  for (const r of results) {
    const name = xmlEscape(r.file);
    const failing = r.diagnostics.filter((d) => fails(d.level, failOn));
    const other = r.diagnostics.filter((d) => !fails(d.level, failOn));
    if (r.diagnostics.length === 0) {
      out.push(`    <testcase classname="bwemu.lint" name="${name}"/>`);
      continue;
    }
    out.push(`    <testcase classname="bwemu.lint" name="${name}">`);
    for (const d of failing) {
      const where = `${r.file}:${d.line}:${d.col}`;
      const body = `${where} ${d.level} ${d.ruleId}: ${d.message}${d.source ? `\nsee: ${d.source}` : ""}\nhelp: ${ruleHelpUrl(d.ruleId)}`;
      out.push(`      <failure type="${xmlEscape(d.ruleId)}" message="${xmlEscape(`${d.line}:${d.col} ${d.message}`)}">${xmlEscape(body)}</failure>`);
    }
    if (other.length > 0) {
      const text = other.map((d) => `${r.file}:${d.line}:${d.col} ${d.level} ${d.ruleId}: ${d.message}`).join("\n");
      out.push(`      <system-out>${xmlEscape(text)}</system-out>`);
    }
    out.push("    </testcase>");
  }
  out.push("  </testsuite>");
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}
