// Opening the media-stream socket (bandwidth.md §4.1, §3.5, OPEN-6, OPEN-7, OPEN-14), against real servers.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "../../clock.js";
import { connectStream, parseDestination, redactUrl, requestTarget } from "../connect.js";
import { startApp, startRawServer, within } from "./servers.js";

const base = { timeoutMs: 5000, maxPayload: 1 << 20, closeTimeoutMs: 1000, clock: realClock };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("request target", () => {
  it("keeps path and query verbatim, drops the fragment, percent-encodes only what HTTP cannot carry", () => {
    expect(requestTarget("wss://h.example/ws/a/../b?call_id=c-1&dest=http%3A%2F%2Fx&q='y'")).toBe("/ws/a/../b?call_id=c-1&dest=http%3A%2F%2Fx&q='y'");
    expect(requestTarget("wss://h.example")).toBe("/");
    expect(requestTarget("wss://h.example?x=1")).toBe("/?x=1");
    expect(requestTarget("wss://h.example/p#frag")).toBe("/p");
    expect(requestTarget("wss://h.example/a b/é")).toBe("/a%20b/%C3%A9");
  });
  it("redacts a password in the destination's userinfo", () => {
    expect(redactUrl("wss://u:secret@h.example/ws?x=1")).toBe("wss://u:[redacted]@h.example/ws?x=1");
    expect(redactUrl("wss://h.example/ws?a=b:c@d")).toBe("wss://h.example/ws?a=b:c@d");
    expect(redactUrl("wss://u@h.example/ws")).toBe("wss://u@h.example/ws");
  });
  it("refuses relative destinations and non-WebSocket schemes (OPEN-6)", () => {
    expect(parseDestination("/ws")).toMatchObject({ ok: false });
    expect(parseDestination("https://h.example/ws")).toMatchObject({ ok: false, error: expect.stringContaining("https") });
    expect(parseDestination("WSS://h.example/ws")).toMatchObject({ ok: true });
  });
});

describe("connectStream", () => {
  it("sends Basic auth, a neutral User-Agent, no subprotocol or compression, and the path and query unchanged", async () => {
    const app = await startApp();
    cleanups.push(() => app.close());
    const target = "/bw/ws/tok.en/../x?call_id=c-1&dest=wss%3A%2F%2Fa.b%2Fc&q='y'&e=";
    const r = await connectStream({ ...base, destination: `${app.url}${target}`, credentials: { username: "foo", password: "b:ar" } });
    expect(r.ok).toBe(true);
    if (r.ok) cleanups.push(() => r.ws.terminate());
    const c = await app.connection();
    expect(c.url).toBe(target);
    expect(c.headers.authorization).toBe(`Basic ${Buffer.from("foo:b:ar").toString("base64")}`);
    expect(c.headers["user-agent"]).toBe("bwemu-media-stream");
    expect(c.headers["sec-websocket-protocol"]).toBeUndefined();
    expect(c.headers["sec-websocket-extensions"]).toBeUndefined();
    // the recorded exchange never holds the password
    expect(JSON.stringify(r.exchange)).not.toContain(Buffer.from("foo:b:ar").toString("base64"));
    expect(r.exchange.requestHeaders.authorization).toBe("Basic [redacted]");
    expect(r.exchange.status).toBe(101);
  });
  it("OPEN-14: a missing half of the credentials is sent empty", async () => {
    const app = await startApp();
    cleanups.push(() => app.close());
    const r = await connectStream({ ...base, destination: app.url, credentials: { username: "foo", password: "" } });
    if (r.ok) cleanups.push(() => r.ws.terminate());
    expect((await app.connection()).headers.authorization).toBe(`Basic ${Buffer.from("foo:").toString("base64")}`);
  });
  it("no credentials → no Authorization header", async () => {
    const app = await startApp();
    cleanups.push(() => app.close());
    const r = await connectStream({ ...base, destination: app.url });
    if (r.ok) cleanups.push(() => r.ws.terminate());
    expect((await app.connection()).headers.authorization).toBeUndefined();
  });
  it.each([401, 404, 400])("upgrade refused with %i → ok:false with the status", async (status) => {
    const app = await startApp(undefined, { verify: () => status });
    cleanups.push(() => app.close());
    const r = await within(connectStream({ ...base, destination: `${app.url}/ws` }), 8000, "refusal");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(status);
      expect(r.errorMessage).toMatch(new RegExp(`^WebSocket upgrade refused with HTTP ${status}`));
      expect(r.exchange.responseBody).toBe("refused");
    }
  });
  it("connection refused → ok:false", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await within(connectStream({ ...base, destination: `ws://127.0.0.1:${port}/ws` }), 8000, "refused");
    expect(r).toMatchObject({ ok: false, errorMessage: expect.stringContaining("refused") });
  });
  it("an upgrade never answered → timeout (OPEN-7)", async () => {
    const raw = await startRawServer("silent");
    cleanups.push(() => raw.close());
    const t0 = Date.now();
    const r = await within(connectStream({ ...base, timeoutMs: 300, destination: `${raw.url}/ws` }), 8000, "timeout");
    expect(r).toMatchObject({ ok: false, errorMessage: expect.stringContaining("timed out after 300 ms") });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });
  it("an invalid destination is refused without throwing", async () => {
    const r = await connectStream({ ...base, destination: "http://127.0.0.1:1/ws" });
    expect(r).toMatchObject({ ok: false, errorMessage: expect.stringContaining("not ws or wss") });
  });
});
