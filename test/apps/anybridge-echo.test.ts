// A bridge that does not talk to OpenAI, judged as a user would judge theirs: the echo bridge
// (fixtures/bridges/echo: Bandwidth's stream in front of an echo bot) as its own process, and a real
// `bwemu test --realtime opaque` run against it through the library API, reports written. Every
// carrier-side case judges it and none fails; every case that needs the stub's records says why it
// is skipped. Then the same bot keeping its line busy with digital silence and greeting after 1.5 s:
// silence is not speech, so the caller's turns, the greeting and the barge-in are judged as they are.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { spawnBridge, type BridgeProcess } from "../../fixtures/bridges/process.js";
import { resolveConfig } from "../../src/config.js";
import { runTest, type TestRunOutcome } from "../../src/run/index.js";
import { UPSTREAM_SKIP } from "../../suites/preconditions.js";
import { checkFlags, runCall } from "../../src/cli/call.js";

const ECHO = fileURLToPath(new URL("../../fixtures/bridges/echo/main.ts", import.meta.url));
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function judgeEcho(env: Record<string, string>, cases: string[] = []): Promise<{ outcome: TestRunOutcome; results: { target: { realtime: string; upstream: string } }; html: string }> {
  const bridge: BridgeProcess = await spawnBridge({ main: ECHO, realtimeUrl: "", env: { QUIET: "1", ...env } });
  cleanups.push(() => bridge.close());
  const out = mkdtempSync(join(tmpdir(), "bwemu-anybridge-"));
  cleanups.push(() => rmSync(out, { recursive: true, force: true }));
  const config = resolveConfig({}, { app: bridge.url, realtime: "opaque", out, reporters: ["json", "html"], cases }, {});
  const outcome = await runTest({ config });
  return { outcome, results: JSON.parse(readFileSync(join(out, "results.json"), "utf8")), html: readFileSync(join(out, "report.html"), "utf8") };
}

const verdictsOf = (o: TestRunOutcome) => Object.fromEntries(o.verdicts.map((v) => [v.case.id, v]));

/**
 * Verdicts that are not a pass, skip, unimplemented or info. A loopback bridge's stream is ws://, which
 * the SHOULD case answer.bxml.secure-destination reports (non-strict) for any bridge on a laptop.
 */
const problems = (o: TestRunOutcome) =>
  o.verdicts
    .filter((v) => ["fail", "error", "non-strict"].includes(v.verdict) && !(v.case.id === "answer.bxml.secure-destination" && v.verdict === "non-strict"))
    .map((v) => `${v.case.id}: ${v.verdict} ${v.outcome.observed ?? v.outcome.message}`);

describe("a bridge to a non-OpenAI bot, --realtime opaque", () => {
  it("passes every carrier-side case; the stub-side ones are skipped with the reason", { timeout: 240_000 }, async () => {
    const { outcome, results, html } = await judgeEcho({});
    expect(problems(outcome)).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    expect(results.target).toMatchObject({ realtime: "opaque", upstream: "opaque" });
    expect(html.includes("opaque: bwemu cannot see the bridge&#39;s upstream"), "the report names the mode").toBe(true);
    const v = verdictsOf(outcome);
    // The stub's records: skipped, saying why.
    for (const id of ["audio.up.integrity", "audio.down.integrity", "bargein.truncate", "stream.stop.upstream-closed", "resilience.upstream-error", "latency.bridge-overhead"]) {
      expect(v[id].verdict, id).toBe("skipped");
      expect(v[id].outcome.message, id).toBe(UPSTREAM_SKIP.opaque);
    }
    // The carrier side judges: the stream, the audio as heard, barge-in, isolation.
    for (const id of ["answer.bxml.keepalive", "stream.connect.auth", "stream.stop.closes-socket", "audio.down.shape", "bargein.clear", "bargein.no-stale-audio", "resilience.concurrent-isolation", "events.started.accepted"]) {
      expect(v[id].verdict, id).toBe("pass");
    }
    expect(v["latency.turn"].verdict).toBe("info");
    expect(v["latency.turn"].outcome.metrics?.["turn.n"]).toBeGreaterThan(0);
  });

  it("a bot that streams silence first, then greets: silence is not speech, the turns and barge-in are judged as they are", { timeout: 240_000 }, async () => {
    const { outcome } = await judgeEcho({ STREAM_SILENCE: "1", GREETING_MS: "1500" }, ["bargein.*", "latency.*", "audio.down.*", "resilience.concurrent-isolation", "stream.start.*"]);
    expect(problems(outcome)).toEqual([]);
    const v = verdictsOf(outcome);
    expect(v["bargein.clear"].verdict).toBe("pass");
    // The greeting is the first audio with speech in it, 1.5 s after start, not the first frame of silence.
    const greeting = v["latency.greeting"].outcome.metrics?.["greeting.p50"];
    expect(greeting).toBeGreaterThanOrEqual(1400);
    expect(greeting).toBeLessThan(2500);
    // No call ran into bwemu's limit: the caller's script finished in every call.
    expect(outcome.result.harness.warnings.filter((w) => /call limit/.test(w))).toEqual([]);
  });
});

describe("bwemu call --realtime opaque", () => {
  it("a conversation with the silence-streaming bot: every turn gets a reply, measured from its speech", { timeout: 60_000 }, async () => {
    const bridge = await spawnBridge({ main: ECHO, realtimeUrl: "", env: { QUIET: "1", STREAM_SILENCE: "1" } });
    cleanups.push(() => bridge.close());
    const out = mkdtempSync(join(tmpdir(), "bwemu-anybridge-call-"));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const input = await checkFlags({ app: bridge.url, turns: "2", realtime: "opaque", out, hangupAfter: "0.5s" });
    expect(input.realtime).toEqual({ kind: "opaque" });
    await expect(checkFlags({ bridge: "reference", realtime: "opaque", hangupAfter: "0.5s" })).rejects.toThrow(/give --app/);
    let text = "";
    const run = await runCall(input, (s) => (text += s));
    expect(run.reason).toBeUndefined();
    expect(run.exitCode).toBe(0);
    // Silence plays from the stream's start; the replies come ~400 ms (the bot's end of turn) after each utterance.
    expect(run.latency?.turns.map((t) => t.failure)).toEqual([undefined, undefined]);
    for (const t of run.latency!.turns) expect(t.turnMs).toBeGreaterThan(300);
    expect(run.latency?.greetingMs).toBeUndefined();
    expect(text).toMatch(/✓ call completed normally/);
  });
});
