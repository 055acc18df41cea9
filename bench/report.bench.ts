// Report rendering at scale: a run of 50 calls × 3 000 timeline events (150 000 events, mostly media
// frames) and 60 cases with evidence, rendered to every format. Goal: the HTML report of such a run
// renders in under 10 s on this machine (the timeline collapse and row cap keep it bounded).
import { readFileSync } from "node:fs";
import type { BenchReport } from "./types.js";
import { renderHtml } from "../reports/html/render.js";
import { renderJson } from "../reports/json.js";
import { renderJunit } from "../reports/junit.js";
import { renderMarkdown } from "../reports/markdown.js";
import { summarize, type CallRecord, type CaseResult, type RecordedEvent, type RunResult } from "../reports/model.js";
import { renderSarif } from "../reports/sarif.js";

function bigRun(): RunResult {
  const base = JSON.parse(readFileSync(new URL("../fixtures/reports/run-full.json", import.meta.url), "utf8")) as RunResult;
  let seq = 0;
  const calls: CallRecord[] = [];
  for (let c = 0; c < 50; c++) {
    const callId = `c-bench-${c}`;
    const tl: RecordedEvent[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = 1e9 + c * 1e7 + i * 20_000;
      if (i % 100 === 0) tl.push({ seq: seq++, t, lane: "stub", kind: "stub.event", callId, data: { direction: "out", type: "response.created" } });
      else tl.push({ seq: seq++, t, lane: i % 3 ? "carrier" : "app", kind: "ws.frame", callId, data: { streamId: "s", direction: i % 3 ? "out" : "in", eventType: i % 3 ? "media" : "playAudio", track: "inbound", bytes: 232, sequenceNumber: String(i) } });
    }
    calls.push({ ...base.calls[0], callId, label: `bench-${c}`, startUs: 1e9 + c * 1e7, timeline: tl, audio: c === 0 ? base.calls[0].audio : {} });
  }
  const cases: CaseResult[] = Array.from({ length: 60 }, (_, i) => ({ ...base.cases[i % base.cases.length], id: `bench.case.${i}`, group: `g${i % 8}`, callIds: [`c-bench-${i % 50}`], evidence: calls[i % 50].timeline.slice(0, 300) }));
  return { ...base, cases, calls, summary: summarize(cases, { strict: false }) };
}

export default async function (): Promise<BenchReport> {
  const run = bigRun();
  const time = (f: () => string) => {
    const t0 = performance.now();
    const out = f();
    return { ms: performance.now() - t0, bytes: out.length };
  };
  const html = time(() => renderHtml(run));
  const json = time(() => renderJson(run));
  const junit = time(() => renderJunit(run));
  const sarif = time(() => renderSarif(run));
  const md = time(() => renderMarkdown(run));
  return {
    name: "report rendering (50 calls × 3 000 events, 60 cases)",
    lines: [
      `html ${html.ms.toFixed(0)} ms (${(html.bytes / 1e6).toFixed(1)} MB)`,
      `json ${json.ms.toFixed(0)} ms (${(json.bytes / 1e6).toFixed(1)} MB) · junit ${junit.ms.toFixed(0)} ms · sarif ${sarif.ms.toFixed(0)} ms · markdown ${md.ms.toFixed(0)} ms`,
    ],
    metrics: { htmlMs: html.ms, htmlBytes: html.bytes, jsonMs: json.ms, jsonBytes: json.bytes, junitMs: junit.ms, sarifMs: sarif.ms, markdownMs: md.ms },
    goal: { description: "HTML report of a 150 000-event run in < 10 s", met: html.ms < 10_000 },
  };
}
