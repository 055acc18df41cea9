// `bwemu test --direction`: the verdict model (suites/direction.ts) over the real case catalogue,
// the answer cases judging `answer` on recorded outbound calls, a one-direction case skipped on the
// other, the baseline of a directed id, and the shard plan of a run of both directions (each
// (case, direction) judged in exactly one shard; the calibration once).
import { describe, expect, it } from "vitest";
import { baselineStatus, judge, loadCases } from "../../suites/runner.js";
import { directedCases, directedId, directionsOf, directionSkip, splitDirected } from "../../suites/direction.js";
import { recordedContext, type RecordedCall, type RecordedEvent, type RecordedRun } from "../../suites/recorded.js";
import type { CallDirection, CaseContext, ConformanceCase } from "../../suites/types.js";
import { planShards } from "../../src/run/shard.js";
import { resolveConfig } from "../../src/config.js";
import { casePage } from "../../reports/help.js";
import { mergeBlobs } from "../../src/run/merge.js";
import { validateRunResult } from "../../reports/validate.js";
import type { RunResult } from "../../reports/model.js";
import { shardBlobs, wholeResult, type WholeRun } from "../shard/blobs.js";

const all = await loadCases();
const byId = (id: string) => all.find((c) => c.id === id)!;
const BOTH: CallDirection[] = ["inbound", "outbound"];

const DOC = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><StartStream name="s" mode="bidirectional" destination="ws://127.0.0.1:9/media"/><StopStream name="s" wait="true"/></Response>`;

/** A call's first webhook as the carrier records it: created, the exchange, its result, the document received. */
function answered(direction: CallDirection, status = 200, contentType = "application/xml"): RecordedCall {
  const eventType = direction === "outbound" ? "answer" : "initiate";
  const url = "http://127.0.0.1:3000/voice";
  const events: RecordedEvent[] = [
    { kind: "call.created", data: { callId: "c-1", direction, from: "+15557770199", to: "+15557770100", appUrl: url } },
    {
      kind: "http.exchange",
      data: { role: "webhook", eventType, method: "POST", url, requestHeaders: {}, status, responseHeaders: { "content-type": contentType }, durationUs: 4000, attempt: 1 },
    },
    { kind: "webhook.result", data: { eventType, url, method: "POST", ok: status < 300, status, attempts: 1, usedFallback: false, payload: { eventType } } },
  ];
  if (status < 300) events.push({ kind: "bxml.received", data: { url, text: DOC, accepted: true, diagnostics: [] } });
  return { callId: "c-1", documents: status < 300 ? [DOC] : [], events };
}

const judgeOn = (c: ConformanceCase, run: RecordedRun, direction?: CallDirection) => judge(c, { ...recordedContext(run), direction } satisfies CaseContext);

describe("the direction model", () => {
  it("--direction inbound|outbound|both runs those directions, inbound first", () => {
    expect(directionsOf("inbound")).toEqual(["inbound"]);
    expect(directionsOf("outbound")).toEqual(["outbound"]);
    expect(directionsOf("both")).toEqual(["inbound", "outbound"]);
    expect(resolveConfig({}, {}, {}).direction).toBe("inbound");
    expect(resolveConfig({ direction: "both" }, {}, {}).direction).toBe("both");
    expect(resolveConfig({ direction: "both" }, { direction: "outbound" }, {}).direction).toBe("outbound");
    expect(() => resolveConfig({}, { direction: "sideways" }, {})).toThrow('direction (--direction): expected one of inbound, outbound, both, got "sideways"');
    expect(() => resolveConfig({}, { answerUrl: "ftp://x" }, {})).toThrow("--answer-url: expected an http(s) URL");
  });

  it("a verdict keeps the case id on one direction; with both, the outbound one is <id>@outbound", () => {
    expect(directedId("answer.bxml.valid", "outbound", ["outbound"])).toBe("answer.bxml.valid");
    expect(directedId("answer.bxml.valid", "inbound", BOTH)).toBe("answer.bxml.valid");
    expect(directedId("answer.bxml.valid", "outbound", BOTH)).toBe("answer.bxml.valid@outbound");
    expect(splitDirected("answer.bxml.valid@outbound")).toEqual({ id: "answer.bxml.valid", direction: "outbound" });
    expect(splitDirected("answer.bxml.valid")).toEqual({ id: "answer.bxml.valid" });
    expect(splitDirected("a.b@sideways")).toEqual({ id: "a.b@sideways" });
    // Every report links the case's own page.
    expect(casePage("answer.bxml.valid@outbound")).toBe("cases/answer.bxml.valid.md");
  });

  it("over the catalogue: every case once per direction, ids unique, each direction's scenarios apart", () => {
    const one = directedCases(all, ["inbound"]);
    expect(one.map((u) => u.id)).toEqual(all.map((c) => c.id));
    expect(one.flatMap((u) => u.scenarios)).toEqual(all.flatMap((c) => c.scenarios));
    const units = directedCases(all, BOTH);
    expect(units.length).toBe(all.length * 2);
    expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
    for (const u of units.filter((x) => x.direction === "outbound")) {
      expect(u.id).toBe(`${u.case.id}@outbound`);
      expect(u.scenarios).toEqual(u.case.scenarios.map((s) => `${s}@outbound`));
    }
    // No case of today's catalogue is one-directional: every requirement holds on an outbound call too.
    expect(all.filter((c) => c.directions)).toEqual([]);
  });

  it("a case that exists on one direction is skipped on the other, with the reason, and places no call there", () => {
    const inboundOnly: ConformanceCase = { ...byId("answer.http.status"), id: "answer.inbound-only", directions: ["inbound"] };
    const units = directedCases([inboundOnly], BOTH);
    expect(units.map((u) => [u.id, u.scenarios])).toEqual([
      ["answer.inbound-only", ["basic"]],
      ["answer.inbound-only@outbound", []],
    ]);
    expect(directionSkip(inboundOnly, "inbound")).toBeUndefined();
    // Judged where it applies; skipped (not an error: its scenario was not placed) where it does not.
    expect(judgeOn(inboundOnly, { runs: { basic: [answered("inbound")] } }, "inbound").verdict).toBe("pass");
    const v = judgeOn(inboundOnly, { runs: {} }, "outbound");
    expect(v.verdict).toBe("skipped");
    expect(v.outcome.message).toBe("applies to inbound calls only; not judged on outbound calls (--direction)");
  });
});

describe("the answer cases on an outbound call judge `answer`", () => {
  it("answer.http.status reads the answer exchange, and says so when it fails", () => {
    const ok = judgeOn(byId("answer.http.status"), { runs: { basic: [answered("outbound")] } }, "outbound");
    expect(ok.verdict).toBe("pass");
    const bad = judgeOn(byId("answer.http.status"), { runs: { basic: [answered("outbound", 500)] } }, "outbound");
    expect(bad.verdict).toBe("fail");
    expect(bad.outcome.observed).toBe("HTTP 500");
    expect(bad.outcome.evidence?.map((e) => [e.kind, (e.data as { eventType?: string }).eventType])).toEqual([
      ["http.exchange", "answer"],
      ["webhook.result", "answer"],
    ]);
  });

  it("no usable answer: the failure's evidence is the answer webhook, not an initiate that never happened", () => {
    const v = judgeOn(byId("answer.bxml.well-formed"), { runs: { basic: [{ ...answered("outbound", 503), errorMessage: "answer: HTTP 503" }] } }, "outbound");
    expect(v.verdict).toBe("fail");
    expect(v.outcome.evidence?.map((e) => (e.data as { eventType?: string }).eventType)).toEqual(["answer", "answer"]);
  });

  it("the Content-Type and GET cases read the answer exchange too", () => {
    const ct = judgeOn(byId("answer.http.content-type"), { runs: { basic: [answered("outbound", 200, "text/html")] } }, "outbound");
    expect(ct.verdict).toBe("non-strict");
    expect(ct.outcome.observed).toBe("Content-Type: text/html");
    const get = judgeOn(byId("answer.method.get"), { runs: { "initiate-get": [answered("outbound")] } }, "outbound");
    expect(get.verdict).toBe("non-strict");
    expect(get.outcome.expected).toBe("a GET answer");
  });
});

describe("baselines and directed ids", () => {
  it("a case's entry covers both of its verdicts; an @outbound entry overrides it for the outbound one", () => {
    const baseline = { cases: { "a.a": { verdict: "fail" as const }, "a.b@outbound": { verdict: "fail" as const } } };
    expect(baselineStatus("a.a", "fail", baseline)).toBe("expected");
    expect(baselineStatus("a.a@outbound", "fail", baseline)).toBe("expected");
    expect(baselineStatus("a.b@outbound", "fail", baseline)).toBe("expected");
    expect(baselineStatus("a.b", "fail", baseline)).toBeUndefined();
  });
});

describe("sharding a run of both directions", () => {
  const units = directedCases(all, BOTH);
  const keys = [...new Set(units.flatMap((u) => u.scenarios))];

  for (const n of [1, 2, 3, 5]) {
    it(`${n} shard(s): every (case, direction) judged once, where all its scenarios run; each scenario key placed once; the calibration once`, () => {
      const parts = planShards(units, n);
      expect(parts.flatMap((p) => p.cases).sort()).toEqual(units.map((u) => u.id).sort());
      expect(parts.flatMap((p) => p.scenarios).sort()).toEqual([...keys].sort());
      for (const p of parts) for (const id of p.cases) for (const s of units.find((u) => u.id === id)!.scenarios) expect(p.scenarios, `${id} reads ${s}`).toContain(s);
      expect(parts.filter((p) => p.calibration).length).toBe(1);
      const cal = parts.find((p) => p.calibration)!;
      expect(cal.cases).toEqual(expect.arrayContaining(["latency.turn", "latency.turn@outbound", "latency.bridge-overhead", "latency.bridge-overhead@outbound"]));
      expect(planShards(units, n)).toEqual(parts);
    });
  }

  it("a run of one direction plans exactly as before", () => {
    expect(planShards(directedCases(all, ["inbound"]), 3)).toEqual(planShards(all, 3));
  });

  it("estimates the directions one after the other", () => {
    const [both] = planShards(directedCases([byId("answer.method.get")], BOTH), 1);
    const [one] = planShards(directedCases([byId("answer.method.get")], ["inbound"]), 1);
    expect(both.scenarios).toEqual(["initiate-get", "initiate-get@outbound"]);
    expect(both.estimateS).toBe(2 * one.estimateS);
  });
});

describe("merging the shards of a run of both directions", () => {
  // Each direction's basic call is a latency call; they run in different shards. The merge puts the
  // verdicts, the calls and the latency samples in the order one run gives them: inbound first.
  const RUN: WholeRun = {
    total: 2,
    shardOf: { "basic@outbound": 1, basic: 2, "initiate-get": 1, "initiate-get@outbound": 2 },
    cases: [
      { id: "answer.a", verdict: "pass", scenarios: ["basic"] },
      { id: "answer.a@outbound", verdict: "fail", scenarios: ["basic@outbound"] },
      { id: "answer.g", verdict: "pass", scenarios: ["initiate-get"] },
      { id: "answer.g@outbound", verdict: "pass", scenarios: ["initiate-get@outbound"] },
    ],
    excluded: [
      { id: "answer.x", scenarios: ["basic"] },
      { id: "answer.x@outbound", scenarios: ["basic@outbound"] },
    ],
    calls: [
      { callId: "c-in", scenario: "basic", turns: [100, 200] },
      { callId: "c-get", scenario: "initiate-get" },
      { callId: "c-out", scenario: "basic@outbound", turns: [300, 400] },
      { callId: "c-get-out", scenario: "initiate-get@outbound" },
    ],
  };
  const comparable = (r: RunResult) => ({ ...r, startedAt: "", finishedAt: "", durationMs: 0, harness: { ...r.harness, warnings: [] } });

  it("equals the whole run: each (case, direction) once, the exit code from every verdict", () => {
    const merged = mergeBlobs(shardBlobs(RUN));
    expect(validateRunResult(merged)).toEqual([]);
    expect(comparable(merged)).toEqual(comparable(wholeResult(RUN)));
    expect(merged.cases.map((c) => `${c.id} ${c.verdict}`)).toEqual([
      "answer.a pass",
      "answer.a@outbound fail",
      "answer.g pass",
      "answer.g@outbound pass",
      "answer.x skipped",
      "answer.x@outbound skipped",
    ]);
    expect(merged.summary.exitCode).toBe(1);
    expect(merged.summary.newFailures).toEqual(["answer.a@outbound"]);
    expect(merged.latency.turn!.samples.map((s) => s.callId)).toEqual(["c-in", "c-in", "c-out", "c-out"]);
    expect(merged.cases.find((c) => c.id === "answer.x@outbound")!.callIds).toEqual(["c-out"]);
  });
});
