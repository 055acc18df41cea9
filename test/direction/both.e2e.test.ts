// `bwemu test --direction both` end to end. The real CLI against the bundled reference bridge (a child
// process, the stub and the carrier on loopback, real-time pacing): every answer case is judged on an
// inbound call (`initiate`) and on an outbound one (`answer`, as REST createCall), each outbound verdict
// judges the `answer` webhook and passes, and every report keys the two verdicts apart. Then an app that
// answers `initiate` correctly but sends broken BXML on `answer` (a proxy in front of the reference
// bridge) fails the outbound verdicts only.

import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "../../src/config.js";
import { runTest } from "../../src/run/index.js";
import { spawnBridge } from "../../fixtures/bridges/process.js";
import type { CaseResult, RunResult } from "../../reports/model.js";
import { validateRunResult } from "../../reports/validate.js";
import { hasStackTrace, runCli } from "../support/cli.js";
import { readBlob } from "../../src/run/blob.js";

/** The calls' first webhook, from a call's recorded timeline. */
const firstWebhooks = (r: RunResult, c: CaseResult) =>
  c.callIds.flatMap((id) =>
    r.calls
      .find((x) => x.callId === id)!
      .timeline.filter((e) => e.kind === "webhook.result")
      .map((e) => String((e.data as { eventType?: unknown }).eventType))
      .filter((t) => t === "initiate" || t === "answer"),
  );

const body = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });

/** A free loopback port (for the stub the bridge behind the proxy connects to). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * The reference bridge behind a proxy that breaks only `answer`: its reply is BXML with an unclosed
 * <StartStream> (not well-formed); everything else (initiate, stream events, status) is forwarded.
 */
async function answerBreakingApp(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const raw = await body(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const eventType = url.searchParams.get("eventType") ?? (/"eventType"\s*:\s*"([^"]+)"/.exec(raw.toString("utf8"))?.[1] ?? "");
    if (eventType === "answer") {
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <StartStream name="s" mode="bidirectional" destination="ws://127.0.0.1:9/media">\n</Response>\n`);
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "content-length", "connection", "transfer-encoding"].includes(k))) as Record<string, string>;
    const upstream = await fetch(new URL(url.pathname + url.search, target), { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(raw) });
    const back: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(k)) back[k] = v;
    });
    res.writeHead(upstream.status, back);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/voice`, server };
}

describe("bwemu test --direction both", () => {
  it("judges each answer case on an inbound and an outbound call of the reference bridge: the outbound verdicts read `answer` and pass", async () => {
    const out = mkdtempSync(join(tmpdir(), "bwemu-direction-"));
    const r = await runCli(["test", "--bridge", "reference", "--cases", "answer.*", "--direction", "both", "--out", out, "--reporter", "json,junit,html"], { timeoutMs: 200_000 });
    expect(hasStackTrace(r), r.stderr).toBe(false);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as RunResult;
    expect(validateRunResult(result)).toEqual([]);
    expect(result.target.direction).toBe("both");

    // One verdict per (case, direction), in case order, each direction's apart (the cases --cases left
    // out too, skipped on each direction).
    expect(result.cases.map((c) => c.id)).toEqual(result.cases.filter((c) => c.direction === "inbound").flatMap((c) => [c.id, `${c.id}@outbound`]));
    const answer = result.cases.filter((c) => c.group === "answer");
    const inbound = answer.filter((c) => c.direction === "inbound");
    const outbound = answer.filter((c) => c.direction === "outbound");
    expect(inbound.length).toBeGreaterThan(10);
    expect(outbound.map((c) => c.id)).toEqual(inbound.map((c) => `${c.id}@outbound`));
    expect(outbound.map((c) => c.caseId)).toEqual(inbound.map((c) => c.id));
    expect(result.cases.filter((c) => c.group !== "answer").every((c) => c.verdict === "skipped")).toBe(true);

    // Every MUST verdict passes on both directions, and each outbound verdict is its inbound twin's
    // (the bridge answers both alike), judged on outbound calls only: their first webhook is
    // `answer`, never `initiate`, and the other way round.
    const mustNotPassing = (cs: CaseResult[]) => cs.filter((c) => c.level === "MUST" && c.verdict !== "pass").map((c) => `${c.id}: ${c.verdict} ${c.observed ?? c.message ?? ""}`);
    expect(mustNotPassing(outbound)).toEqual([]);
    expect(mustNotPassing(inbound)).toEqual([]);
    expect(outbound.map((c) => `${c.caseId} ${c.verdict}`)).toEqual(inbound.map((c) => `${c.id} ${c.verdict}`));
    for (const c of outbound) {
      expect(c.callIds.length, c.id).toBeGreaterThan(0);
      expect(new Set(firstWebhooks(result, c)), c.id).toEqual(new Set(["answer"]));
    }
    for (const c of inbound) expect(new Set(firstWebhooks(result, c)), c.id).toEqual(new Set(["initiate"]));
    // The credentials and GET cases ran on outbound calls too (createCall's username/password, answerMethod).
    for (const id of ["answer.auth.basic@outbound", "answer.method.get@outbound", "answer.http.status@outbound"]) expect(result.cases.find((c) => c.id === id)?.verdict, id).toBe("pass");
    expect(result.calls.filter((c) => c.scenario?.endsWith("@outbound")).length).toBe(result.calls.length / 2);

    // The reports key the verdicts apart and link each case's own page.
    const index = JSON.parse(readFileSync(join(out, "index.json"), "utf8")) as { cases: Record<string, { verdict: string; caseId?: string; direction?: string }> };
    expect(index.cases["answer.bxml.valid@outbound"]).toMatchObject({ verdict: "pass", caseId: "answer.bxml.valid", direction: "outbound" });
    expect(index.cases["answer.bxml.valid"]).toMatchObject({ verdict: "pass", caseId: "answer.bxml.valid", direction: "inbound" });
    const junit = readFileSync(join(out, "junit.xml"), "utf8");
    expect(junit).toContain('<testcase name="answer.bxml.valid@outbound"');
    expect(junit).toContain('<property name="direction" value="outbound"/>');
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("answer.bxml.valid@outbound");
    expect(html).toContain("docs/cases/answer.bxml.valid.md");
    expect(r.stdout).toContain("answer.bxml.valid@outbound");
    expect(r.stdout).toMatch(/inbound and outbound calls/);
    expect(r.stdout).toMatch(/basic \(outbound\)/);
  });

  it("an app that answers `initiate` correctly but breaks `answer` fails the outbound verdicts only", async () => {
    const stubPort = await freePort();
    const bridge = await spawnBridge({ realtimeUrl: `ws://127.0.0.1:${stubPort}/v1/realtime`, env: { QUIET: "1", GREETING: "1" } });
    const app = await answerBreakingApp(bridge.url);
    try {
      const out = mkdtempSync(join(tmpdir(), "bwemu-direction-faulty-"));
      const cases = ["answer.bxml.well-formed", "answer.bxml.valid", "answer.bxml.has-stream", "answer.http.status"];
      const config = resolveConfig({}, { app: app.url, stubPort, cases, direction: "both", out, reporters: ["json"] }, {});
      const o = await runTest({ config });
      expect(validateRunResult(o.result)).toEqual([]);
      const verdicts = Object.fromEntries(o.result.cases.filter((c) => c.group === "answer" && c.message !== "excluded by --cases/--exclude").map((c) => [c.id, c.verdict]));
      expect(verdicts).toEqual({
        "answer.bxml.has-stream": "pass",
        "answer.bxml.has-stream@outbound": "fail",
        "answer.bxml.valid": "pass",
        "answer.bxml.valid@outbound": "fail",
        "answer.bxml.well-formed": "pass",
        "answer.bxml.well-formed@outbound": "fail",
        // The reply itself was a 200: only its body is broken.
        "answer.http.status": "pass",
        "answer.http.status@outbound": "pass",
      });
      expect(o.exitCode).toBe(1);
      expect(o.result.summary.newFailures).toEqual(["answer.bxml.has-stream@outbound", "answer.bxml.valid@outbound", "answer.bxml.well-formed@outbound"]);
      // The failure is located in the answer's document.
      const wf = o.result.cases.find((c) => c.id === "answer.bxml.well-formed@outbound")!;
      expect(wf.observed).toMatch(/StartStream|Response|closing|end/i);
      for (const c of o.result.cases.filter((x) => x.direction === "outbound" && x.verdict !== "skipped")) expect(new Set(firstWebhooks(o.result, c)), c.id).toEqual(new Set(["answer"]));
    } finally {
      await new Promise((r) => app.server.close(r));
      await bridge.close();
    }
  });

  it("sharded (--shard i/2) and merged: each (case, direction) judged in exactly one shard, merged into one run of both", async () => {
    const root = mkdtempSync(join(tmpdir(), "bwemu-direction-shard-"));
    const cases = "answer.http.content-type,answer.method.get";
    for (const i of [1, 2]) {
      const r = await runCli(["test", "--bridge", "reference", "--cases", cases, "--direction", "both", "--shard", `${i}/2`, "--out", join(root, `shard-${i}`)], { timeoutMs: 120_000 });
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const blobs = await Promise.all([1, 2].map((i) => readBlob(join(root, `shard-${i}`, `bwemu-blob-${i}-of-2.json`))));
    // Two directions of two scenario groups: each shard ran its own part, together each key once.
    expect(blobs.flatMap((b) => b.plan.shardScenarios).sort()).toEqual(["basic", "basic@outbound", "initiate-get", "initiate-get@outbound"]);
    expect(blobs.every((b) => b.plan.shardScenarios.length === 2)).toBe(true);
    const judged = blobs.flatMap((b) => b.result.cases.filter((c) => c.message !== "excluded by --cases/--exclude").map((c) => c.id));
    expect(judged.sort()).toEqual(["answer.http.content-type", "answer.http.content-type@outbound", "answer.method.get", "answer.method.get@outbound"]);
    const out = join(root, "merged");
    const m = await runCli(["merge-reports", join(root, "shard-1"), join(root, "shard-2"), "--out", out, "--reporter", "json"], { timeoutMs: 60_000 });
    expect(m.code, m.stdout + m.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as RunResult;
    expect(validateRunResult(merged)).toEqual([]);
    expect(merged.target.direction).toBe("both");
    const selected = merged.cases.filter((c) => c.group === "answer" && c.message !== "excluded by --cases/--exclude");
    expect(selected.map((c) => `${c.id} ${c.direction} ${c.verdict}`)).toEqual([
      "answer.http.content-type inbound pass",
      "answer.http.content-type@outbound outbound pass",
      "answer.method.get inbound pass",
      "answer.method.get@outbound outbound pass",
    ]);
    for (const c of selected.filter((x) => x.direction === "outbound")) expect(new Set(firstWebhooks(merged, c)), c.id).toEqual(new Set(["answer"]));
    expect(merged.cases.length).toBe(blobs[0].plan.selected.length + blobs[0].plan.excluded.length);
  });
});
