// The control API on a live streaming call: DTMF and more caller speech go in while the call runs,
// the emulator's faults (slow webhook, dropped stream, rejected stream) are injected on demand, and
// the timeline, BXML and WAVs come out. In-process serve, a real app (HTTP + media-stream WebSocket).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { beforeAll, describe, expect, it } from "vitest";
import { startServe, type Serve } from "../../src/serve/server.js";
import { startTestApp, type TestApp } from "./helpers.js";
import { closeAfterAll } from "../support/cleanup.js";
import { until } from "../support/loopback.js";

interface Conn {
  ws: WebSocket;
  frames: { eventType?: string }[];
  closed?: number;
}

async function startStreamServer(): Promise<{ url: string; conns: Conn[]; close(): Promise<void> }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const conns: Conn[] = [];
  wss.on("connection", (ws) => {
    const c: Conn = { ws, frames: [] };
    conns.push(c);
    ws.on("message", (d) => {
      try {
        c.frames.push(JSON.parse(d.toString()));
      } catch {
        c.frames.push({ eventType: "not-json" });
      }
    });
    ws.on("close", (code) => (c.closed = code));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`,
    conns,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const post = async (url: string, body: unknown) => {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

describe("bwemu serve: a live call steered through the control API", () => {
  let serve: Serve;
  let app: TestApp;
  let ws: Awaited<ReturnType<typeof startStreamServer>>;
  let id: string;
  let base: string;
  const closing = closeAfterAll();

  beforeAll(async () => {
    ws = closing(await startStreamServer());
    app = closing(await startTestApp({
      "/voice": `<Response><StartStream name="s1" destination="${ws.url}" streamEventUrl="/events"/><StartGather dtmfUrl="/dtmf"/><Pause duration="60"/></Response>`,
      "/again": `<Response><StartStream name="s2" destination="${ws.url}" streamEventUrl="/events"/><Pause duration="60"/></Response>`,
      "/dtmf": undefined,
      "/events": undefined,
      "/status": undefined,
    }));
    serve = closing(await startServe({ port: 0, settings: { statusCallbackUrl: `${app.url}/status` } }));
    const started = await post(`${serve.url}/_bwemu/calls`, { appUrl: `${app.url}/voice`, audio: "hello", label: "steered" });
    expect(started.status).toBe(201);
    id = String(started.json.callId);
    base = `${serve.url}/_bwemu/calls/${id}`;
    await until("the stream's start frame", () => (ws.conns[0]?.frames.some((f) => f.eventType === "start") ? true : undefined));
  }, 30_000);

  it("DTMF from the control API reaches the app's StartGather, digit by digit", async () => {
    const r = await post(`${base}/dtmf`, { digits: "4#", gapMs: 50 });
    expect(r.status).toBe(202);
    await until("two dtmf webhooks", () => (app.hooks.filter((h) => h.path === "/dtmf").length >= 2 ? true : undefined));
    expect(app.hooks.filter((h) => h.path === "/dtmf").map((h) => h.body.digit)).toEqual(["4", "#"]);
  });

  it("a slowed webhook is held back and still delivered; the timeline says it was injected", async () => {
    expect((await post(`${base}/faults`, { kind: "slow-next-webhook", ms: 300 })).status).toBe(202);
    await post(`${base}/dtmf`, { digits: "7", gapMs: 50 });
    await until("the slowed dtmf webhook", () => (app.hooks.some((h) => h.path === "/dtmf" && h.body.digit === "7") ? true : undefined));
    const lines = (await (await fetch(`${base}/timeline`)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.some((e) => e.kind === "note" && /injected fault: dtmf webhook held back 300 ms/.test(e.data.message))).toBe(true);
  });

  it("more caller speech goes into the live call after what the caller already said", async () => {
    expect((await post(`${base}/audio`, { audio: "order" })).status).toBe(202);
    await until("the second utterance", () => (serve.carrier.timeline.events.some((e) => e.callId === id && e.kind === "caller.utterance" && (e.data as { index: number; phase: string }).index === 1 && (e.data as { phase: string }).phase === "end") ? true : undefined), 20_000);
  }, 30_000);

  it("drop-stream cuts the media socket without a close frame (the app sees 1006)", async () => {
    expect((await post(`${base}/faults`, { kind: "drop-stream" })).status).toBe(202);
    await until("the socket's end", () => ws.conns[0].closed);
    expect(ws.conns[0].closed).toBe(1006);
  });

  it("reject-next-stream: the next StartStream is refused and the app told (mediaStreamRejected)", async () => {
    expect((await post(`${base}/faults`, { kind: "reject-next-stream", cause: "error" })).status).toBe(202);
    const redirect = await fetch(`${serve.apiBaseUrl}/accounts/${serve.carrier.settings.accountId}/calls/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic " + Buffer.from("u:p").toString("base64") },
      body: JSON.stringify({ redirectUrl: `${app.url}/again` }),
    });
    expect(redirect.status).toBe(200);
    const rejected = await until("mediaStreamRejected", () => app.hooks.find((h) => h.path === "/events" && h.body.eventType === "mediaStreamRejected"));
    expect(rejected.body).toMatchObject({ callId: id, cause: "error", mediaStream: { name: "s2" } });
    expect(ws.conns).toHaveLength(1);
  });

  it("its event stream replays the call's events so far (media frames left out), then follows it", async () => {
    const ac = new AbortController();
    const r = await fetch(`${base}/events`, { signal: ac.signal });
    expect(r.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = r.body!.getReader();
    let text = "";
    await post(`${base}/dtmf`, { digits: "9", gapMs: 50 });
    while (!/"digit":"9"/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const events = text.split("\n\n").filter((b) => b.startsWith("event: timeline")).map((b) => JSON.parse(b.slice(b.indexOf("data: ") + 6)));
    expect(events[0]).toMatchObject({ kind: "call.created", callId: id });
    expect(events.some((e) => e.kind === "ws.frame" && e.data.eventType === "media")).toBe(false);
    expect(events.some((e) => e.kind === "caller.dtmf" && e.data.digit === "9")).toBe(true);
  });

  it("the live page's stream opens with the call's current header (a state change before it subscribed is not lost)", async () => {
    const ac = new AbortController();
    const r = await fetch(`${base}/events?format=html`, { signal: ac.signal });
    const reader = r.body!.getReader();
    let text = "";
    const deadline = Date.now() + 10_000;
    while (!/id="sec-header"|"sec-header"/.test(text) && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const header = text.split("\n\n").find((b) => b.startsWith("event: section") && b.includes('"sec-header"'));
    expect(header).toBeDefined();
    expect(JSON.parse(header!.slice(header!.indexOf("data: ") + 6)).html).toMatch(/id="call-state">answered</);
  });

  it("the list page's stream opens with the live calls as they are now", async () => {
    const ac = new AbortController();
    const r = await fetch(`${serve.url}/_bwemu/events`, { signal: ac.signal });
    const reader = r.body!.getReader();
    let text = "";
    const deadline = Date.now() + 10_000;
    while (!text.includes(`"li-${id}"`) && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const item = text.split("\n\n").find((b) => b.startsWith("event: call") && b.includes(`"li-${id}"`));
    expect(item).toBeDefined();
    expect(JSON.parse(item!.slice(item!.indexOf("data: ") + 6)).html).toMatch(/answered/);
  });

  it("its BXML and WAVs download; hanging up sends the disconnect webhook", async () => {
    const info = (await (await fetch(base)).json()) as { documents: string[]; files: string[] };
    expect(info.documents).toHaveLength(2);
    const doc = await fetch(info.documents[0]);
    expect(doc.headers.get("content-type")).toMatch(/^application\/xml/);
    expect(await doc.text()).toContain('<StartStream name="s1"');
    expect(info.files.map((f) => f.split("/").pop())).toEqual(expect.arrayContaining(["caller.wav", "heard.wav", "stream-1-inbound.wav", "stream-1-played.wav"]));
    const wav = await fetch(info.files.find((f) => f.endsWith("/caller.wav"))!);
    const bytes = Buffer.from(await wav.arrayBuffer());
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(bytes.length).toBeGreaterThan(8000); // more than half a second of what the caller said
    expect((await post(`${base}/hangup`, {})).status).toBe(202);
    const disconnect = await until("the disconnect webhook", () => app.hooks.find((h) => h.path === "/status"));
    expect(disconnect.body).toMatchObject({ eventType: "disconnect", callId: id, cause: "hangup" });
  });
});
