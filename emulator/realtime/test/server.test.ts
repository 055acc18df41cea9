// The ws transport: paths, query parameters (§2.1), concurrent sessions, waitForSession, close().
import http from "node:http";
import { describe, expect, it } from "vitest";
import { startRealtimeStub } from "../server.js";
import { appendAll, Client, GA_PCMU_UPDATE, mulawUtterance } from "./helpers.js";
import { closeAfterEach } from "../../../test/support/cleanup.js";
import { recordSocketWrites } from "../../../test/support/socket-writes.js";

describe("ws transport", () => {
  const closing = closeAfterEach();

  it("404 on other paths, 426 on plain HTTP, Azure path accepted", async () => {
    const stub = closing(await startRealtimeStub());
    await expect(Client.connect(stub.url.replace("/v1/realtime", "/v2/other"))).rejects.toThrow(/404/);
    const status = await new Promise<number>((resolve, reject) => {
      http.get(stub.url.replace("ws:", "http:"), (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on("error", reject);
    });
    expect(status).toBe(426);
    const c = await Client.connect(stub.url.replace("/v1/realtime", "/openai/v1/realtime"), { query: "?api-version=2025-08-28&deployment=my-deploy" });
    const created = await c.waitFor("session.created");
    expect(created.session.model).toBe("my-deploy");
    await c.close();
  });

  it("ignores query parameters other than model; defaults the model; any model string is echoed", async () => {
    const stub = closing(await startRealtimeStub());
    const a = await Client.connect(stub.url, { query: "?model=gpt-realtime&temperature=0.8&voice=ash" });
    expect((await a.waitFor("session.created")).session.audio.output.voice).toBe("alloy");
    const b = await Client.connect(stub.url, { query: "" });
    expect((await b.waitFor("session.created")).session.model).toBe("gpt-realtime");
    const d = await Client.connect(stub.url, { query: "?model=gpt-4o-realtime-preview-2024-10-01" });
    expect((await d.waitFor("session.created")).session.model).toBe("gpt-4o-realtime-preview-2024-10-01");
    await Promise.all([a.close(), b.close(), d.close()]);
  });

  it("concurrent sessions are independent; echo gives each call its own signature; close() ends them with 1001", async () => {
    const stub = await startRealtimeStub({ script: { turns: [{ audio: { echo: true } }] } });
    const [a, b] = await Promise.all([Client.connect(stub.url), Client.connect(stub.url)]);
    for (const c of [a, b]) c.send(GA_PCMU_UPDATE);
    appendAll(a, mulawUtterance(200, 500, 300, 1));
    appendAll(b, mulawUtterance(200, 500, 300, 2));
    await Promise.all([a.waitFor("response.done"), b.waitFor("response.done")]);
    const reply = (c: Client) => Buffer.concat(c.of("response.output_audio.delta").map((d) => Buffer.from(d.delta, "base64")));
    expect(reply(a).equals(reply(b))).toBe(false);
    const [ra, rb] = stub.sessions();
    expect(ra.id).not.toBe(rb.id);
    expect(a.of("session.created")[0].session.id).toBe(ra.id);
    const pending = stub.waitForSession((s) => s.turns.length > 5, 200);
    await expect(pending).rejects.toThrow(/no matching stub session within 200 ms/);
    await stub.close();
    await Promise.all([a.until((c) => !!c.closed, 5000), b.until((c) => !!c.closed, 5000)]);
    expect(a.closed!.code).toBe(1001);
    expect(stub.sessions().map((s) => [s.closedBy, s.closeCode])).toEqual([["stub", 1001], ["stub", 1001]]);
  });

  it("addFault applies to sessions opened afterwards", async () => {
    const stub = closing(await startRealtimeStub());
    const a = await Client.connect(stub.url);
    await a.waitFor("session.created");
    stub.addFault({ kind: "close", atMs: 50, code: 1011, session: 2 });
    expect(() => stub.addFault({ kind: "close" } as never)).toThrow(/atMs or atTurn/);
    const b = await Client.connect(stub.url);
    await b.until((c) => !!c.closed, 5000, "fault close");
    expect(b.closed!.code).toBe(1011);
    expect(a.closed).toBeUndefined();
    expect(stub.sessions()[1]).toMatchObject({ closedBy: "stub", closeCode: 1011 });
    await a.close();
  });

  it("client close codes (1000, 1005) end the session quietly (§2.6)", async () => {
    const stub = closing(await startRealtimeStub());
    const a = await Client.connect(stub.url);
    await a.waitFor("session.created");
    a.ws.close();
    const rec = await stub.waitForSession((s) => s.closedUs !== undefined, 5000);
    expect(rec).toMatchObject({ closedBy: "client", closeCode: 1005 });
    expect(rec.errors).toEqual([]);
  });

  it("a response's opening events reach the client in one write, up to and including the first audio delta", async () => {
    const stub = await startRealtimeStub({ script: { turns: [{ audio: { synth: 400 }, transcript: "One write.", responseDelayMs: 0, deltaMs: 100 }] } });
    const port = Number(new URL(stub.url).port);
    const wire = recordSocketWrites((sock) => sock.localPort === port); // the stub's side
    try {
      const c = await Client.connect(stub.url);
      await c.waitFor("session.created");
      c.send(GA_PCMU_UPDATE);
      appendAll(c, mulawUtterance(200, 500, 700, 4));
      await c.waitFor("response.done");
      wire.stop();
      const first = wire.writes.map(String).find((w) => w.includes('"type":"response.output_audio.delta"'))!;
      for (const type of ["response.created", "response.output_item.added", "response.content_part.added", "response.output_audio_transcript.delta"]) {
        expect(first).toContain(`"type":"${type}"`);
      }
      // Flushed at the delta: what follows it goes in a later write.
      expect(first).not.toContain('"type":"response.done"');
      const [rec] = stub.sessions();
      const firstDelta = rec.serverEvents.find((e) => e.type === "response.output_audio.delta")!;
      expect(rec.turns[0].sFirstUs).toBe(firstDelta.t); // stamped when the burst was flushed
      await c.close();
    } finally {
      wire.stop();
      await stub.close();
    }
  });
});
