// The library run of `bwemu call` (no CLI, no terminal): a sink receives the live events and the run's
// own lines; a call the app creates after the placed call ended, while the Voice API lingers, is
// recorded, and ended with the run so its result is final.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startApp, xml, noContent } from "../../emulator/call/test/servers.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import { runCall, type CallInput } from "./call.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function input(appUrl: string, out: string, over: Partial<CallInput> = {}): CallInput {
  return { settings: { pacing: "fast" }, appUrl, caller: { silence: true }, maxDurationMs: 20_000, hangupAfterCallerMs: 500, actions: [], from: "+15557770100", to: "+15557770199", out, ...over };
}

describe("runCall (library)", () => {
  it("a call the app creates while the Voice API lingers is recorded and ended with the run; the sink sees it all", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bwemu-run-call-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    let created: Promise<Response> | undefined;
    const app = await startApp((h, res) => {
      if (h.path === "/voice") return xml(res, "<Response><Hangup/></Response>");
      if (h.path === "/disconnect") {
        // After the call: a follow-up call through the Voice API the webhook's callUrl names.
        const j = h.json as { callUrl: string; accountId: string; applicationId: string };
        const calls = j.callUrl.replace(/\/calls\/[^/]+$/, "/calls");
        created = fetch(calls, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from("app:secret").toString("base64")}` },
          body: JSON.stringify({ to: "+15550009999", from: "+15557770199", applicationId: j.applicationId, answerUrl: `${app.base}/answer` }),
        });
        return noContent(res);
      }
      if (h.path === "/answer") return xml(res, "<Response><Pause duration='30'/></Response>");
      return noContent(res);
    });
    cleanup.push(() => app.close());
    const events: TimelineEvent[] = [];
    const lines: string[] = [];
    const run = await runCall(input(app.url, join(dir, "out"), { lingerMs: 1500, settings: { pacing: "fast", statusCallbackUrl: `${app.base}/disconnect` } }), {
      sink: { event: (e) => events.push(e), status: (l) => lines.push(l) },
    });
    expect((await created!).status).toBe(201);
    expect(run.exitCode).toBe(0);
    expect(run.others).toHaveLength(1);
    expect(run.others[0]).toMatchObject({ origin: "app", problem: undefined });
    expect(run.others[0].result).toMatchObject({ disconnectCause: "hangup", endedBy: "carrier" });
    expect(run.endedBy).toBe("the app ended the call (<Hangup> or the end of its BXML)");
    expect(lines.some((l) => l.includes("stays up 1500 ms for recording downloads"))).toBe(true);
    expect(events.some((e) => e.kind === "call.created" && e.callId === run.others[0].result.callId)).toBe(true);
    // The placed call's result: its own events once each, in order, after the linger too.
    const seqs = run.result.timeline.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(run.result.timeline.events.every((e) => e.callId === run.result.callId)).toBe(true);
    // timeline.jsonl holds both calls.
    const file = (await readFile(join(run.outDir, "timeline.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(new Set(file.map((e) => e.callId).filter(Boolean))).toEqual(new Set([run.result.callId, run.others[0].result.callId]));
  }, 30_000);
});
