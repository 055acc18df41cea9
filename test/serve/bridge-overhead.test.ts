// bwemu serve with its own Realtime stub: once a call ends, its stub session is matched and the live
// page shows what the bridge added to each turn (B), next to the turn latency. A real bridge (the
// reference bridge, in-process) on loopback, the stub in-process, the page fetched over HTTP.
import { beforeAll, describe, expect, it } from "vitest";
import { startRealtimeStub, type RealtimeStub } from "../../emulator/realtime/server.js";
import { startReferenceBridge, type RunningBridge } from "../../fixtures/bridges/reference/index.js";
import { startServe, type Serve } from "../../src/serve/server.js";
import { closeAfterAll } from "../support/cleanup.js";
import { until } from "../support/loopback.js";

describe("bwemu serve: bridge overhead on the live page", () => {
  let stub: RealtimeStub;
  let bridge: RunningBridge;
  let serve: Serve;
  const closing = closeAfterAll();

  beforeAll(async () => {
    stub = closing(await startRealtimeStub({ port: 0 }));
    bridge = closing(await startReferenceBridge({ realtimeUrl: stub.url }));
    serve = closing(await startServe({ port: 0, realtime: stub.url, stub }));
  }, 30_000);

  it("an ended call's turns show B from its stub session; B is at most the turn latency", async () => {
    const r = await fetch(`${serve.url}/_bwemu/calls`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appUrl: bridge.url, audio: "hello", hangupAfterCallerMs: 1500 }) });
    expect(r.status).toBe(201);
    const { callId } = (await r.json()) as { callId: string };
    await until("the call's end", () => (serve.carrier.calls.get(callId)?.ended ? true : undefined), 30_000);
    const cells = await until(
      "the turn row under a bridge-overhead column",
      async () => {
        const page = await (await fetch(`${serve.url}/calls/${callId}`)).text();
        if (!page.includes('<th class="n">bridge adds</th>')) return undefined;
        const row = /<tr><td class="n">1<\/td><td>turn<\/td>(.*?)<\/tr>/.exec(page);
        return row ? [...row[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]) : undefined;
      },
      10_000,
    );
    const [turn, b, note] = cells;
    const value = (t: string) => Number(t.replace(/[, ]|ms$/g, "").replace(/s$/, "")) * (/ s$/.test(t) ? 1000 : 1);
    expect(turn).toMatch(/^[\d.,]+ m?s$/);
    if (b === "—") {
      // A stalled test process can make a turn unmeasurable; then the note says why, never a figure.
      expect(note).not.toBe("");
    } else {
      expect(b).toMatch(/^-?[\d.,]+ ms$/);
      expect(value(b)).toBeLessThanOrEqual(value(turn));
    }
  }, 60_000);
});
