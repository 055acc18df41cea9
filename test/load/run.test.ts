// Load runs on loopback (src/load/run.ts, pool.ts): real worker threads, the reference bridge as a
// child process, the Realtime stub on its thread, apps that misbehave. Few calls, short; no timing
// asserted (bwemu's own speed goals are benches: bench/load.bench.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { renderLoadHtml } from "../../reports/html/load.js";
import { conversation } from "../../src/speech.js";
import { ShardPool } from "../../src/load/pool.js";
import { runLoad } from "../../src/load/run.js";
import { startLoadTarget, type LoadTarget } from "../../src/load/target.js";
import type { CallOutcome, LoadOptions } from "../../src/load/types.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function options(o: Partial<LoadOptions> & { appUrl: string }): LoadOptions {
  return { calls: 2, caller: { silence: true }, maxCallMs: 20_000, conversation: false, settings: { pacing: "realtime" }, workers: 0, windowMs: 500, ...o };
}

/** An app on loopback: `answer` decides what each initiate gets. */
async function app(answer: (res: import("node:http").ServerResponse, req: import("node:http").IncomingMessage) => void): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => answer(res, req));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(() => new Promise((r) => (server.closeAllConnections(), server.close(r))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/voice`;
}

const holdBxml = (seconds: number) => `<?xml version="1.0" encoding="UTF-8"?><Response><Pause duration="${seconds}"/></Response>`;

describe("bwemu load against the reference bridge", () => {
  // Full calls in real time take tens of seconds on a busy box: a limit, not a timed assertion.
  it("carries full calls on worker shards: turns measured, bridge overhead from the stub, bwemu's own lateness and CPU per shard", { timeout: 180_000 }, async () => {
    const target: LoadTarget = await startLoadTarget({ bridge: { kind: "reference" }, stubPort: 0 });
    cleanup.push(() => target.close());
    const seen: CallOutcome[] = [];
    const r = await runLoad(
      options({ appUrl: target.appUrl, calls: 3, workers: 2, caller: conversation(1), conversation: true, hangupAfterCallerMs: 1000 }),
      { stubTurns: target.stubTurns, outcome: (o) => seen.push(o) },
    );
    expect(r.examples).toEqual([]);
    expect(r.totals).toMatchObject({ started: 3, completed: 3 });
    expect(r.verdict.failed).toBe(0);
    expect(seen.map((o) => o.ok)).toEqual([true, true, true]);
    expect(new Set(seen.map((o) => o.callId)).size).toBe(3);
    // Turns the harness could not measure soundly (an overloaded box) are left out, never failed.
    expect(r.totals.turn.n).toBeGreaterThanOrEqual(1);
    expect(r.totals.turn.p50Ms).toBeGreaterThan(0);
    // Stub sessions were matched to calls: B is known.
    expect(r.totals.bridgeOverhead.n).toBeGreaterThanOrEqual(1);
    expect(r.totals.shards.map((s) => s.shard)).toEqual([0, 1]);
    expect(r.totals.shards.every((s) => s.lateness.n > 0)).toBe(true);
    expect(r.totals.lateness.n).toBeGreaterThan(100);
    expect(r.windows.some((w) => w.cpuPct !== undefined)).toBe(true);
    const page = renderLoadHtml({ ...r, appUrl: target.appUrl });
    expect(page).toContain("Turn latency per window");
    expect(page).toContain("bwemu&#39;s own pacing lateness");
    expect((page.match(/<svg /g) ?? []).length).toBe(5);
  });
});

describe("bwemu load when things go wrong", () => {
  it("an app that resets connections: failures counted by reason, no call starts after the deadline", async () => {
    const url = await app((res) => res.socket?.destroy());
    const r = await runLoad(options({ appUrl: url, calls: 2, durationMs: 1500, ratePerS: 4 }));
    expect(r.partial).toBe(false);
    expect(r.totals.completed).toBe(0);
    expect(r.totals.failed["no-bxml"]).toBe(r.totals.started);
    expect(r.totals.started).toBeGreaterThanOrEqual(2);
    expect(r.verdict.exitCode).toBe(1);
    expect(r.examples[0]).toMatchObject({ reason: "no-bxml" });
    expect(r.examples[0].detail).toMatch(/never returned BXML/);
  });

  it("an app that stops answering: the run still ends at its deadline, calls waiting on the app cut", async () => {
    const url = await app(() => undefined); // never answers
    const r = await runLoad(options({ appUrl: url, calls: 2, durationMs: 1000, ratePerS: 100 }));
    expect(r.totals.started).toBe(2);
    // Ended at the run's deadline (a timed run's calls never outlast it) with the initiate pending.
    expect(r.totals.failed["no-bxml"]).toBe(2);
    expect(r.examples[0].detail).toMatch(/never returned BXML/);
  });

  it("the run's end waits for the BXML of calls the app is still answering: a healthy app's last calls are cut, not failed", async () => {
    // Every initiate is answered 300 ms late; the run ends 100 ms in, both calls waiting on the app.
    const url = await app((res) => setTimeout(() => res.writeHead(200, { "content-type": "application/xml" }).end(holdBxml(60)), 300));
    const r = await runLoad(options({ appUrl: url, calls: 2, durationMs: 100, ratePerS: 100 }));
    expect(r.examples).toEqual([]);
    expect(r.totals).toMatchObject({ started: 2, completed: 2, cut: 2 });
    expect(r.verdict.exitCode).toBe(0);
  });

  it("Ctrl-C (abort) ends the run with a partial result; the calls up are hung up, not failed", async () => {
    const url = await app((res) => res.writeHead(200, { "content-type": "application/xml" }).end(holdBxml(60)));
    const abort = new AbortController();
    const r = await runLoad(options({ appUrl: url, calls: 2, durationMs: 120_000, ratePerS: 100 }), {
      signal: abort.signal,
      live: (l) => {
        if (l.active === 2) abort.abort();
      },
    });
    expect(r.partial).toBe(true);
    expect(r.verdict.summary).toMatch(/^partial run/);
    expect(r.totals).toMatchObject({ started: 2, completed: 2, cut: 2 });
  });

  it("a worker that dies is reported with the calls it held; the other shard goes on", { timeout: 120_000 }, async () => {
    // Calls are cut once the app has answered them: a cut waits for BXML only CUT_GRACE_MS, and a
    // call that never got any is a no-bxml failure, which is not what this test is about.
    let answered = 0;
    const url = await app((res) => res.writeHead(200, { "content-type": "application/xml" }).end(holdBxml(60), () => answered++));
    const outcomes: CallOutcome[] = [];
    const died: { shard: number; calls: number }[] = [];
    const pool = await ShardPool.start({ workers: 2, windowMs: 500, events: { outcome: (o) => outcomes.push(o), tick: () => undefined, died: (shard, calls) => died.push({ shard, calls }) } });
    cleanup.push(() => pool.close());
    const spec = (index: number) => ({ index, appUrl: url, caller: { silence: true } as const, maxDurationMs: 60_000, settings: { pacing: "realtime" as const }, conversation: false });
    expect(pool.dispatch(spec(0))).toBe(true);
    expect(pool.dispatch(spec(1))).toBe(true);
    await expect.poll(() => answered, { timeout: 20_000 }).toBe(2);
    await pool.terminateShard(0);
    await expect.poll(() => died.length).toBe(1);
    expect(died[0]).toEqual({ shard: 0, calls: 1 });
    expect(outcomes).toEqual([expect.objectContaining({ index: 0, ok: false, reason: "worker-died", shard: 0 })]);
    expect(pool.alive).toBe(1);
    // New calls go to the shard that is left; hanging up ends its calls.
    expect(pool.dispatch(spec(2))).toBe(true);
    await expect.poll(() => answered, { timeout: 20_000 }).toBe(3);
    pool.cutAll();
    await expect.poll(() => outcomes.length, { timeout: 20_000 }).toBe(3);
    expect(outcomes.map((o) => [o.index, o.shard]).sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
    ]);
    expect(outcomes.find((o) => o.index === 1)).toMatchObject({ ok: true, cut: true });
  });
});

describe("virtual users (the Artillery engine's side)", () => {
  it("a second set of virtual users on a machine whose stub port is taken places calls without the stub", { timeout: 60_000 }, async () => {
    const { VirtualUsers } = await import("../../src/load/vu.js");
    const url = await app((res) => res.writeHead(200, { "content-type": "application/xml" }).end(holdBxml(1)));
    const first = await VirtualUsers.start({ app: url, realtime: "stub", stubPort: 0 });
    cleanup.push(() => first.close());
    const port = Number(new URL(first.stubUrl!).port);
    const second = await VirtualUsers.start({ app: url, realtime: "stub", stubPort: port });
    cleanup.push(() => second.close());
    expect(second.stubUrl).toBeUndefined();
    const o = await second.call({ turns: 0, callDuration: "3s" });
    expect(o).toMatchObject({ ok: true, bridgeOverheadMs: [] });
  });
});
