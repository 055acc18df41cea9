// Issue 5 "Bad input": a bridge that is down, slow, returns garbage or crashes mid-run produces
// failing verdicts with evidence and a complete report; the run ends within its time budget and
// leaves no servers, sockets, timers or child processes behind. Each bridge below is real (node:http
// + ws on 127.0.0.1) and misbehaves in one way; `runConformance` runs a few cases against it.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config.js";
import { runConformance, RUN_STUB_OPTIONS, type ConformanceOutcome } from "../../src/run/conformance.js";
import { spawnBridge } from "../../fixtures/bridges/process.js";
import { runTest } from "../../src/run/index.js";
import { startRealtimeStub, type RealtimeStub } from "../../emulator/realtime/server.js";
import { validateRunResult } from "../../reports/validate.js";
import { writeReports } from "../../reports/write.js";
import type { CaseResult } from "../../reports/model.js";
import { closedPortUrl, startBadBridge, startCrashingProxy, type BadBridge, type BadBridgeOptions } from "./bad-bridges/bridges.js";
import { childPids, handleCounts, isAlive, ResourceTracker, settle } from "./bad-bridges/leaks.js";

const OUT = mkdtempSync(join(tmpdir(), "bwemu-bad-bridges-"));
// BWEMU_KEEP_REPORTS=1 keeps the reports of every run for inspection.
afterAll(() => (process.env.BWEMU_KEEP_REPORTS ? console.log(`reports kept in ${OUT}`) : rmSync(OUT, { recursive: true, force: true })));

/** Budgets of every run here: short, so a hang shows up as a blown budget rather than a test timeout. */
const CALLBACK_MS = 1500;
const CALL_MS = 8000;
const RUN_MS = 40_000;
/** Slack over the run budget for judging and building the result on a loaded 2-core machine. */
const MARGIN_MS = 20_000;

/** Cases that read the `basic` call's answer and stream: the MUST ones a broken bridge fails. */
const ANSWER_CASES = ["answer.http.status", "answer.bxml.well-formed", "answer.bxml.has-stream"];
const STREAM_CASES = ["stream.connect.upgrade", "stream.start.accepted"];

interface Run {
  outcome: ConformanceOutcome;
  wallMs: number;
  dir: string;
  byId: Map<string, CaseResult>;
}

let runNo = 0;

/** One bounded conformance run against `appUrl`, its reports written, checked complete and valid. */
async function conform(
  appUrl: string,
  cases: string[],
  o: {
    stub?: RealtimeStub;
    strict?: boolean;
    timeouts?: { callbackMs?: number; callMs?: number; runMs?: number };
    marginMs?: number;
    /** The run's own budget ends the calls: harness errors are the expected verdicts, not failures. */
    cutByBudget?: boolean;
  } = {},
): Promise<Run> {
  const dir = join(OUT, `run-${++runNo}`);
  const timeouts = { callbackMs: CALLBACK_MS, callMs: CALL_MS, runMs: RUN_MS, ...o.timeouts };
  const config = resolveConfig({}, { cases, strict: o.strict, reporters: ["html", "json", "junit"], out: dir, timeouts }, {});
  const t0 = performance.now();
  const outcome = await runConformance({ config, appUrl, stub: o.stub });
  const wallMs = performance.now() - t0;
  expect(wallMs, "the run ends within its budget").toBeLessThanOrEqual(timeouts.runMs + (o.marginMs ?? MARGIN_MS));

  const r = outcome.result;
  expect(validateRunResult(r)).toEqual([]);
  const written = await writeReports(r, { outDir: dir, reporters: config.reporters });
  expect(written.map((w) => w.reporter).sort()).toEqual(["html", "json", "json-index", "junit"]);
  const html = readFileSync(join(dir, "report.html"), "utf8");
  expect(html.trimEnd().endsWith("</html>"), "the HTML report is complete").toBe(true);
  for (const c of r.cases) expect(html, `the HTML report shows ${c.id}`).toContain(c.id);
  const junit = readFileSync(join(dir, "junit.xml"), "utf8");
  expect(junit).toContain(o.cutByBudget ? "<error" : "<failure");
  // No case may blame the harness for the bridge's misbehaviour (nor the bridge for the harness's budget).
  if (!o.cutByBudget) for (const c of r.cases) expect(`${c.id}: ${c.verdict}${c.verdict === "error" ? ` (${c.message})` : ""}`).not.toMatch(/: error/);
  else for (const c of r.cases) expect(`${c.id}: ${c.verdict}`).not.toMatch(/: fail/);
  return { outcome, wallMs, dir, byId: new Map(r.cases.map((c) => [c.id, c])) };
}

/** A MUST case that failed on the bridge's account: what was expected, what happened instead, and the proof. */
function expectFail(run: Run, id: string, observed?: RegExp): CaseResult {
  const c = run.byId.get(id);
  expect(c, `${id} was judged`).toBeDefined();
  expect({ id, verdict: c!.verdict, message: c!.message, observed: c!.observed }).toMatchObject({ id, verdict: "fail" });
  expect(c!.level).toBe("MUST");
  expect(c!.expected?.length, `${id} says what was expected`).toBeGreaterThan(0);
  expect(c!.observed?.length, `${id} says what was observed`).toBeGreaterThan(0);
  if (observed) expect(c!.observed).toMatch(observed);
  expect(c!.evidence.length, `${id} carries evidence`).toBeGreaterThan(0);
  expect(run.outcome.result.summary.newFailures).toContain(id);
  return c!;
}

/** Runs `body` against a bridge, then checks the process is back to its baseline of handles and children. */
async function withoutLeaks(body: () => Promise<void>): Promise<void> {
  const baseline = handleCounts();
  const children = childPids();
  const tracker = new ResourceTracker().start();
  try {
    await body();
    expect(await tracker.settle(8000), "handles or timers created during the run and still open").toEqual({});
  } finally {
    tracker.stop();
  }
  expect(await settle(baseline, 8000), "servers, sockets or timers left behind").toEqual({});
  expect(childPids().filter((p) => !children.includes(p)), "child processes left behind").toEqual([]);
}

async function against(opts: BadBridgeOptions, cases: string[], check: (run: Run, bridge: BadBridge) => void): Promise<void> {
  await withoutLeaks(async () => {
    const bridge = await startBadBridge(opts);
    try {
      const run = await conform(bridge.url, cases);
      expect(run.outcome.exitCode).toBe(1);
      expect(run.outcome.result.summary.exitCode).toBe(1);
      check(run, bridge);
    } finally {
      await bridge.close();
    }
  });
}

describe("the leak check itself", () => {
  it("sees a listening server, a connected socket and a timer left behind", async () => {
    const baseline = handleCounts();
    const tracker = new ResourceTracker().start();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise<void>((resolve) => client.once("connect", () => resolve()));
    const timer = setTimeout(() => undefined, 60_000);
    try {
      const extra = await settle(baseline, 300);
      expect(extra.TCPServerWrap).toBe(1);
      expect(extra.TCPSocketWrap).toBeGreaterThanOrEqual(1);
      // getActiveResourcesInfo's Timeout count drifts inside a vitest worker; the tracker is exact.
      const open = await tracker.settle(300);
      expect(open).toMatchObject({ TCPSERVERWRAP: 1, TCPWRAP: 2 });
      expect(open.Timeout, "ours (and the HTTP server's connection checker)").toBeGreaterThanOrEqual(1);
    } finally {
      clearTimeout(timer);
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(await settle(baseline, 5000)).toEqual({});
    expect(await tracker.settle(5000)).toEqual({});
    tracker.stop();
  });
});

describe("bwemu test against a bad bridge (issue 5)", () => {
  it("down: the app URL refuses connections", async () => {
    await withoutLeaks(async () => {
      const url = await closedPortUrl();
      const run = await conform(url, ANSWER_CASES);
      expect(run.outcome.exitCode).toBe(1);
      expectFail(run, "answer.http.status", /ECONNREFUSED/);
      expectFail(run, "answer.bxml.well-formed", /ECONNREFUSED/);
      expectFail(run, "answer.bxml.has-stream");
    });
  });

  it("down, with only stream cases selected: the run fails, it never passes as 'unimplemented'", async () => {
    await withoutLeaks(async () => {
      const run = await conform(await closedPortUrl(), ["stream.connect.upgrade", "stream.start.*", "stream.stop.*"]);
      expect(run.outcome.exitCode).toBe(1);
      for (const c of run.outcome.result.cases.filter((c) => c.verdict !== "skipped")) {
        expect(`${c.id}: ${c.verdict}`).not.toMatch(/unimplemented|pass/);
        if (c.level === "MUST") expectFail(run, c.id, /ECONNREFUSED/);
      }
      expect(run.outcome.result.cases.filter((c) => c.level === "MUST" && c.verdict === "fail").length).toBeGreaterThanOrEqual(3);
    });
  });

  it("slow: /voice answers after the callback timeout", async () => {
    await against({ voice: { kind: "slow", delayMs: CALLBACK_MS + 3000 } }, ANSWER_CASES, (run, bridge) => {
      expect(bridge.seen[0]).toBe("POST /voice");
      expectFail(run, "answer.http.status", new RegExp(`no reply: .*${CALLBACK_MS} ms`));
      expectFail(run, "answer.bxml.well-formed", /no document/);
    });
  });

  it("stalled: /voice sends headers and half a document, then nothing", async () => {
    await against({ voice: { kind: "stall" } }, ANSWER_CASES, (run) => {
      // Headers alone are not a reply: the carrier's timeout covers the whole exchange (ED-8).
      expectFail(run, "answer.http.status", new RegExp(`${CALLBACK_MS} ms`));
    });
  });

  it("reset: the connection is reset while /voice is being answered", async () => {
    await against({ voice: { kind: "reset" } }, ANSWER_CASES, (run) => {
      expectFail(run, "answer.http.status", /ECONNRESET|hang up|reset/i);
      expectFail(run, "answer.bxml.well-formed", /ECONNRESET|hang up|reset/i);
    });
  });

  it("slow beyond the run budget: the whole-run timeout ends the call in flight", async () => {
    await withoutLeaks(async () => {
      const bridge = await startBadBridge({ voice: { kind: "slow", delayMs: 60_000 } });
      try {
        // The callback timeout (30 s) and call limit (30 s) are both longer than the run budget (4 s).
        const run = await conform(bridge.url, ANSWER_CASES, { timeouts: { callbackMs: 30_000, callMs: 30_000, runMs: 4000 }, marginMs: 8000, cutByBudget: true });
        // bwemu's budget, not the bridge, ended the call: the case is a harness error, never a failure.
        expect(run.outcome.exitCode).toBe(3);
        expect(run.byId.get("answer.http.status")).toMatchObject({ verdict: "error", message: expect.stringMatching(/^not judged: the run's time budget .*no reply/) });
        expect(run.outcome.result.harness.warnings.join("\n")).toMatch(/time budget/);
      } finally {
        await bridge.close();
      }
    });
  });

  describe("garbage: /voice answers 200 with something that is not BXML", () => {
    const bodies: [string, string, Buffer | string][] = [
      ["HTML", "text/html; charset=utf-8", "<!DOCTYPE html><html><head><meta charset=utf-8><title>502</title></head><body><p>Bad gateway<br></body></html>"],
      ["JSON", "application/json", JSON.stringify({ ok: true, bxml: "<Response/>" })],
      ["binary", "application/octet-stream", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))],
      ["a 5 MB body", "application/xml", `<?xml version="1.0"?><Response><Pause duration="1"/>${"<!-- padding -->".repeat((5 * 1024 * 1024) / 16)}</Response>`],
    ];
    for (const [name, contentType, body] of bodies) {
      it(name, async () => {
        await against({ voice: { kind: "body", status: 200, contentType, body } }, ANSWER_CASES, (run) => {
          expect(run.byId.get("answer.http.status")?.verdict, "a 200 is a 200").not.toBe("error");
          expectFail(run, "answer.bxml.well-formed", /not BXML|size cap/);
          expectFail(run, "answer.bxml.has-stream");
        });
      });
    }
  });

  describe("BXML is fine but the media WebSocket is not", () => {
    it("refuses the upgrade with 500", async () => {
      await against({ voice: { kind: "bxml" }, media: { kind: "refuse", status: 500 } }, STREAM_CASES, (run, bridge) => {
        expect(bridge.seen).toContain("UPGRADE /media");
        expectFail(run, "stream.connect.upgrade", /500/);
        expectFail(run, "stream.start.accepted", /connect failed/);
      });
    });

    it("accepts the upgrade and never sends anything", async () => {
      await against({ voice: { kind: "bxml" }, media: { kind: "silent" } }, STREAM_CASES, (run) => {
        expect(run.byId.get("stream.connect.upgrade")?.verdict).toBe("pass");
        expectFail(run, "stream.start.accepted", /opened none/);
        // The per-call limit ends the call the silent bridge would keep open forever.
        const call = run.outcome.result.calls[0];
        expect(call.durationMs).toBeGreaterThanOrEqual(CALL_MS - 500);
        expect(call.durationMs).toBeLessThan(CALL_MS + 5000);
      });
    });

    it("closes with 1011 at once", async () => {
      await against({ voice: { kind: "bxml" }, media: { kind: "close", code: 1011 } }, STREAM_CASES, (run) => {
        expectFail(run, "stream.start.accepted", /1011/);
        expect(run.outcome.result.calls[0].streams[0]).toMatchObject({ closedBy: "app", closeCode: 1011 });
      });
    });
  });

  describe("garbage on the media WebSocket", () => {
    it("non-JSON, binary, broken playAudio and a 2 MB frame", async () => {
      await against({ voice: { kind: "bxml" }, media: { kind: "garbage" } }, [...STREAM_CASES, "audio.down.*"], (run) => {
        expect(run.byId.get("stream.connect.upgrade")?.verdict).toBe("pass");
        // Each unusable message is named; the carrier ignores it and the call goes on to its limit.
        const shape = expectFail(run, "audio.down.shape", /not JSON/);
        expect(shape.observed).toMatch(/binary frame/);
        expect(shape.observed).toMatch(/base64/);
        expect(shape.observed).toMatch(/contentType/);
        expect(run.byId.get("audio.down.message-size")).toMatchObject({ verdict: "non-strict", observed: expect.stringMatching(/2097\d{3} bytes/) });
        expect(run.outcome.result.calls[0].streams[0]).toMatchObject({ closedBy: "carrier" });
      });
    });
  });

  describe("crash mid-run", () => {
    it("every socket is destroyed 1 s into the stream", async () => {
      await against({ voice: { kind: "bxml" }, media: { kind: "crash", afterMs: 1000 } }, STREAM_CASES, (run, bridge) => {
        expect(bridge.crashed()).toBe(true);
        expect(run.byId.get("stream.connect.upgrade")?.verdict).toBe("pass");
        expectFail(run, "stream.start.accepted");
        const call = run.outcome.result.calls[0];
        // The carrier saw the connection die without a close frame, and the call ended there, not at its limit.
        expect(call.streams[0]).toMatchObject({ closedBy: "network", closeCode: 1006 });
        expect(call.durationMs).toBeLessThan(CALL_MS);
      });
    });

    it("a working bridge (the reference, behind a proxy) dies 1 s into the stream", async () => {
      await withoutLeaks(async () => {
        const stub = await startRealtimeStub({ ...RUN_STUB_OPTIONS, port: 0 });
        const bridge = await spawnBridge({ realtimeUrl: stub.url, env: { QUIET: "1", GREETING: "1" } });
        const proxy = await startCrashingProxy(new URL(bridge.url), 1000);
        try {
          const run = await conform(proxy.url, ["answer.http.status", "stream.connect.upgrade", "audio.down.integrity", "events.stopped.accepted", "latency.*"], { stub });
          expect(proxy.crashed()).toBe(true);
          expect(run.outcome.exitCode).toBe(1);
          // Before the crash it worked: the answer, the upgrade and the audio it relayed are judged as such.
          for (const id of ["answer.http.status", "stream.connect.upgrade", "audio.down.integrity"]) expect(`${id}: ${run.byId.get(id)?.verdict}`).toBe(`${id}: pass`);
          // After it: the stream-events webhook finds the port closed.
          expectFail(run, "events.stopped.accepted", /ECONNREFUSED/);
          // Every call in flight died with it: no close frame, and each ended there, not at its limit.
          const calls = run.outcome.result.calls;
          expect(calls.length).toBeGreaterThan(0);
          for (const call of calls) {
            expect(call.streams[0]).toMatchObject({ closedBy: "network", closeCode: 1006 });
            expect(call.durationMs).toBeLessThan(CALL_MS);
          }
          const basic = calls.find((c) => c.scenario === "basic")!;
          expect(basic.streams[0].playAudioCount, "the bridge relayed the greeting until it died").toBeGreaterThan(0);
          expect(run.outcome.result.latency.greeting?.samples.some((x) => x.valueMs !== null), "the greeting was measured").toBe(true);
        } finally {
          await proxy.close();
          await bridge.close();
          await stub.close();
        }
      });
    });

    it("bwemu test --bridge crash-on-unknown: the run reports the exit and reaps the process", async () => {
      await withoutLeaks(async () => {
        const dir = join(OUT, "run-test-crash");
        const config = resolveConfig(
          {},
          { cases: ["stream.media.unknown-event"], strict: true, out: dir, reporters: ["html", "json"], timeouts: { callbackMs: CALLBACK_MS, callMs: CALL_MS, runMs: RUN_MS } },
          {},
        );
        const t0 = performance.now();
        const outcome = await runTest({ config, bridge: "crash-on-unknown" });
        expect(performance.now() - t0).toBeLessThanOrEqual(RUN_MS + MARGIN_MS);
        expect(outcome.exitCode).toBe(1);
        expect(outcome.result.harness.warnings.join("\n")).toMatch(/the bridge process exited during the run/);
        expect(validateRunResult(outcome.result)).toEqual([]);
        expect(outcome.reports.map((r) => r.reporter)).toContain("html");
        expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("exited during the run");
        expect(outcome.bridgeOutput?.length, "the bridge's last words are kept for the report").toBeGreaterThan(0);
      });
    });

    it("a child-process bridge exits on an unknown event", async () => {
      await withoutLeaks(async () => {
        const stub = await startRealtimeStub({ ...RUN_STUB_OPTIONS, port: 0 });
        const bridge = await spawnBridge({ realtimeUrl: stub.url, fault: "crash-on-unknown", env: { QUIET: "1" } });
        let exit: { code: number | null } | undefined;
        void bridge.exited.then((e) => (exit = e));
        try {
          expect(childPids()).toContain(bridge.pid);
          // --strict: the SHOULD case's failure fails the run, as a CI gate would have it.
          const run = await conform(bridge.url, ["stream.media.unknown-event", ...STREAM_CASES], { stub, strict: true });
          expect(exit, "the bridge process died during the call").toBeDefined();
          expect(exit!.code).not.toBe(0);
          expect(run.outcome.exitCode).toBe(1);
          const c = run.byId.get("stream.media.unknown-event")!;
          expect({ verdict: c.verdict, message: c.message }).toMatchObject({ verdict: "non-strict" });
          expect(c.expected?.length).toBeGreaterThan(0);
          expect(c.observed).toMatch(/closed by/);
          expect(c.evidence.length).toBeGreaterThan(0);
          expect(run.outcome.result.summary.newFailures).toContain("stream.media.unknown-event");
        } finally {
          await bridge.close();
          await stub.close();
        }
        expect(isAlive(bridge.pid), `bridge process ${bridge.pid} is gone`).toBe(false);
      });
    });
  });
});
