// StartStream / StopStream through the carrier (bandwidth.md §3, §5): every rejection cause, the
// ED-3 order when the carrier ends a stream, ED-2 causes when the app does, and the app's bad input
// on the socket (findings, the call goes on).
import type { WebSocket } from "ws";
import { describe, expect, it } from "vitest";
import { ID_PATTERNS } from "../../ids.js";
import { app, carrier, ws } from "./harness.js";
import { noContent, within, xml, type App, type WsApp } from "./servers.js";

const MS_KEYS = ["eventType", "eventTime", "accountId", "applicationId", "callId", "callUrl", "direction", "from", "to", "startTime", "answerTime", "privacy", "callerDisplayName"];

/** An app whose initiate reply is `bxml(wsUrl)`, with /events answering 204. */
async function appWith(bxml: string): Promise<App> {
  return app((h, res) => (h.path === "/voice" ? xml(res, bxml) : noContent(res)));
}

const events = (a: App) => a.hits.filter((h) => h.path === "/events").map((h) => h.json!);

describe("StartStream rejections (§3.1, §5.5)", () => {
  it("duplicate name → mediaStreamRejected duplicate with originalMediaStream; the call continues (OPEN-8)", async () => {
    const w = await ws();
    const a = await appWith(
      `<Response><StartStream name="agent" destination="${w.url}" streamEventUrl="/events"/><StartStream name="agent" destination="${w.url}/other" streamEventUrl="/events" tracks="both"/><Pause duration="0.2"/></Response>`,
    );
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    const ev = events(a);
    const rej = ev.find((e) => e.eventType === "mediaStreamRejected")!;
    expect(Object.keys(rej)).toEqual([...MS_KEYS, "cause", "errorMessage", "mediaStream", "originalMediaStream"]);
    expect(rej.cause).toBe("duplicate");
    expect(rej.errorMessage).toBe("A stream with the name agent already exists");
    const m = rej.mediaStream as Record<string, unknown>;
    const o = rej.originalMediaStream as Record<string, unknown>;
    expect(m.id).toMatch(ID_PATTERNS.streamId);
    expect(m.id).not.toBe(o.id);
    expect(m).toMatchObject({ name: "agent", destination: `${w.url}/other`, tracks: ["inbound", "outbound"], type: "WebSocket" });
    expect(o).toMatchObject({ name: "agent", destination: w.url, tracks: ["inbound"] });
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toContain("Pause");
    expect(w.upgrades).toHaveLength(1);
  });

  it("track budget: 4 tracks, both = 2 → track-limit", async () => {
    const w = await ws();
    const a = await appWith(
      `<Response><StartStream name="a" tracks="both" destination="${w.url}" streamEventUrl="/events"/><StartStream name="b" tracks="both" destination="${w.url}" streamEventUrl="/events"/><StartStream name="c" destination="${w.url}" streamEventUrl="/events"/><Pause duration="0.2"/></Response>`,
    );
    await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    const rej = events(a).find((e) => e.eventType === "mediaStreamRejected")!;
    expect(rej.cause).toBe("track-limit");
    expect((rej.mediaStream as { name: string }).name).toBe("c");
    expect("originalMediaStream" in rej).toBe(false);
  });

  it.each([
    ["upgrade refused (401)", async () => ws(undefined, { verifyClient: () => 401 }), /401/],
    ["connection refused", async () => ({ url: "ws://127.0.0.1:1/stream" }) as WsApp, /refused|ECONNREFUSED|connect/i],
    ["relative destination (OPEN-6)", async () => ({ url: "/relative" }) as WsApp, /not an absolute ws:\/\/ or wss:\/\/ URI$/, /not an absolute ws:\/\/ or wss:\/\/ URI \(bwemu's choice: \S+carrier\.md#stream-destination\)/],
  ])("%s → connection-error, the call goes on", async (_n, make, msg, finding?: RegExp) => {
    const w = await make();
    const a = await appWith(`<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><Pause duration="0.2"/></Response>`);
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 15_000, "call");
    const rej = events(a)[0];
    expect(rej).toMatchObject({ eventType: "mediaStreamRejected", cause: "connection-error" });
    expect(String(rej.errorMessage)).toMatch(msg);
    // A carrier decision is linked where the user reads it, not in what the app is sent.
    if (finding) expect(r.timeline.of("finding").map((e) => e.data.message)).toEqual([expect.stringMatching(finding)]);
    expect(r.disconnectCause).toBe("hangup");
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["StartStream", "Pause"]);
  });

  it("upgrade never answered → connection-error after the connect timeout (OPEN-7)", async () => {
    const net = await import("node:net");
    const sockets: import("node:net").Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s)); // accepts TCP, never answers HTTP
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const port = (silent.address() as import("node:net").AddressInfo).port;
    try {
      const a = await appWith(`<Response><StartStream name="s" destination="ws://127.0.0.1:${port}/x" streamEventUrl="/events"/><Pause duration="0.1"/></Response>`);
      const r = await within(carrier({ settings: { streamConnectTimeoutMs: 500 } }).placeCall({ appUrl: a.url }).done, 15_000, "call");
      expect(events(a)[0]).toMatchObject({ eventType: "mediaStreamRejected", cause: "connection-error" });
      expect(r.disconnectCause).toBe("hangup");
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it("forceStreamRejection and omitStreamAuth (scenario injection)", async () => {
    const w = await ws();
    const a = await appWith(
      `<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events" destinationUsername="u" destinationPassword="p"/><StartStream name="t" destination="${w.url}" destinationUsername="u" destinationPassword="p" streamEventUrl="/events"/><Pause duration="0.2"/></Response>`,
    );
    await within(carrier().placeCall({ appUrl: a.url, forceStreamRejection: "error", omitStreamAuth: true }).done, 10_000, "call");
    const ev = events(a);
    expect(ev[0]).toMatchObject({ eventType: "mediaStreamRejected", cause: "error" });
    expect(ev[1]).toMatchObject({ eventType: "mediaStreamStarted" });
    expect(w.upgrades[0].headers.authorization).toBeUndefined();
  });
});

describe("how streams end (§3.6, ED-2, ED-3)", () => {
  it("StopStream without wait: stop frame → close 1000 → mediaStreamStopped closed; execution continues at once", async () => {
    const w = await ws();
    const a = await appWith(`<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><Pause duration="0.1"/><StopStream name="s"/><Pause duration="0.3"/></Response>`);
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    const texts = w.messages.map((m) => JSON.parse(m.text).eventType);
    expect(texts[0]).toBe("start");
    expect(texts[texts.length - 1]).toBe("stop");
    const close = r.timeline.of("ws.close")[0];
    expect(close.data).toMatchObject({ by: "carrier", code: 1000 });
    const stopped = r.timeline.of("webhook.result").find((e) => e.data.eventType === "mediaStreamStopped")!;
    expect(stopped.seq).toBeGreaterThan(close.seq);
    expect(events(a).find((e) => e.eventType === "mediaStreamStopped")!.cause).toBe("closed");
  });

  it("call end: every stream gets stop/close/webhook before disconnect (ED-3)", async () => {
    const w = await ws();
    const a = await appWith(`<Response><StartStream name="a" destination="${w.url}" streamEventUrl="/events"/><StartStream name="b" destination="${w.url}" streamEventUrl="/events"/><Pause duration="0.2"/></Response>`);
    const c = carrier();
    c.settings.statusCallbackUrl = `${a.base}/status`;
    const r = await within(c.placeCall({ appUrl: a.url }).done, 10_000, "call");
    const results = r.timeline.of("webhook.result").map((e) => e.data.eventType);
    expect(results.filter((e) => e === "mediaStreamStopped")).toHaveLength(2);
    expect(results[results.length - 1]).toBe("disconnect");
    expect(w.messages.filter((m) => m.text.includes('"stop"'))).toHaveLength(2);
  });

  it.each([
    [1011, "connection-error"],
    [4403, "connection-error"],
    [1001, "closed"],
  ])("app closes with %i → mediaStreamStopped %s; a StopStream wait resumes", async (code, cause) => {
    const w = await ws((sock) => setTimeout(() => sock.close(code, "bye"), 200));
    const a = await appWith(`<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><StopStream name="s" wait="true"/><Pause duration="0.1"/></Response>`);
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    const stopped = events(a).find((e) => e.eventType === "mediaStreamStopped")!;
    expect(stopped.cause).toBe(cause);
    if (cause === "connection-error") expect(String(stopped.errorMessage)).toContain(String(code));
    else expect(stopped.errorMessage).toBeUndefined();
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["StartStream", "StopStream", "Pause"]);
  });

  it("StopStream wait times out (ED-4 setting): the carrier ends the stream and continues", async () => {
    const w = await ws();
    const a = await appWith(`<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><StopStream name="s" wait="true"/><Pause duration="0.1"/></Response>`);
    const r = await within(carrier({ settings: { streamWaitTimeoutMs: 300 } }).placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(w.messages.some((m) => m.text.includes('"stop"'))).toBe(true);
    expect(events(a).find((e) => e.eventType === "mediaStreamStopped")!.cause).toBe("closed");
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["StartStream", "StopStream", "Pause"]);
  });

  it("StopStream with an unknown name does nothing, even with wait", async () => {
    const a = await appWith(`<Response><StopStream name="nope" wait="true"/><Pause duration="0.1"/></Response>`);
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.timeline.of("verb.start").map((e) => e.data.verb)).toEqual(["StopStream", "Pause"]);
  });

  it("a socket that never answers the close: the carrier still finishes the call", async () => {
    const w = await ws((sock) => {
      // Swallow the close frame: never complete the handshake.
      (sock as unknown as { _receiver: { removeAllListeners(e: string): void } })._receiver.removeAllListeners("conclude");
    });
    const a = await appWith(`<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><Pause duration="0.1"/></Response>`);
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 20_000, "call");
    expect(r.disconnectCause).toBe("hangup");
    expect(events(a).some((e) => e.eventType === "mediaStreamStopped")).toBe(true);
  });
});

describe("bad input from the app on the socket (§4.6, OPEN-9, OPEN-10): findings, the call goes on", () => {
  const cases: [string, (s: WebSocket) => void, string][] = [
    ["binary frame", (s) => s.send(Buffer.from([1, 2, 3]), { binary: true }), "stream.app.binary-frame"],
    ["non-JSON frame", (s) => s.send("this is not json"), "stream.app.not-json"],
    ["unknown eventType", (s) => s.send(JSON.stringify({ eventType: "mark", mark: { name: "x" } })), "stream.app.unknown-event"],
    ["invalid base64", (s) => s.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: "!!!not base64***" } })), "stream.app.bad-base64"],
    [
      "odd byte count",
      (s) => s.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcm;rate=8000;channels=1;bit-depth=16;endian=little;encoding=signed", payload: Buffer.alloc(161).toString("base64") } })),
      "stream.app.odd-byte-count",
    ],
    ["unknown contentType", (s) => s.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/ogg", payload: "AAAA" } })), "stream.app.bad-content-type"],
  ];
  it.each(cases)("%s", async (_n, misbehave, code) => {
    const w = await ws((sock) => setTimeout(() => misbehave(sock), 50));
    const a = await appWith(`<Response><StartStream name="s" mode="bidirectional" destination="${w.url}" streamEventUrl="/events"/><Pause duration="0.5"/></Response>`);
    const r = await within(carrier().placeCall({ appUrl: a.url }).done, 10_000, "call");
    expect(r.timeline.of("finding").map((f) => f.data.code)).toContain(code);
    expect(r.disconnectCause).toBe("hangup");
    expect(events(a).find((e) => e.eventType === "mediaStreamStopped")!.cause).toBe("closed");
  });

  it("a flood of audio (minutes of playAudio in a second) is bounded: the excess is dropped with a finding", async () => {
    const minute = Buffer.alloc(8000 * 60, 0x7f).toString("base64"); // 60 s of μ-law per message
    const w = await ws((sock) => {
      for (let i = 0; i < 15; i++) sock.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: minute } }));
      sock.close(1000); // queued behind the flood: the carrier handles every message before the close
    });
    const a = await appWith(`<Response><StartStream name="s" mode="bidirectional" destination="${w.url}" streamEventUrl="/events"/><StopStream name="s" wait="true"/></Response>`);
    // Real-time pacing: 15 minutes arrive within a second, far more than the 10-minute queue cap.
    const r = await within(carrier({ settings: { pacing: "realtime" } }).placeCall({ appUrl: a.url }).done, 20_000, "call");
    expect(r.timeline.of("finding").map((f) => f.data.code)).toContain("stream.playout.overflow");
    expect(r.disconnectCause).toBe("hangup");
  });

  it("scripted carrier-side faults reach the socket (unknown event, malformed, binary, drop)", async () => {
    const w = await ws();
    const a = await appWith(`<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><StopStream name="s" wait="true"/></Response>`);
    const r = await within(
      carrier().placeCall({
        appUrl: a.url,
        actions: [
          { atMs: 50, action: "send-unknown-event" },
          { atMs: 100, action: "send-malformed-frame" },
          { atMs: 150, action: "drop-socket" },
        ],
      }).done,
      10_000,
      "call",
    );
    expect(w.messages.some((m) => m.text.includes("bwemuProbe"))).toBe(true);
    const stopped = events(a).find((e) => e.eventType === "mediaStreamStopped")!;
    expect(stopped.cause).toBe("connection-error");
    expect(r.disconnectCause).toBe("hangup");
  });

  it("a scripted carrier-end action ends the call with its cause (§6.6 scenario causes), streams first", async () => {
    const w = await ws();
    const a = await appWith(`<Response><StartStream name="s" destination="${w.url}" streamEventUrl="/events"/><StopStream name="s" wait="true"/></Response>`);
    const c = carrier();
    c.settings.statusCallbackUrl = `${a.base}/status`;
    const r = await within(c.placeCall({ appUrl: a.url, actions: [{ atMs: 100, action: "carrier-end", cause: "node-capacity-exceeded" }] }).done, 10_000, "call");
    expect(r.disconnectCause).toBe("node-capacity-exceeded");
    const order = a.hits.filter((h) => h.path !== "/voice").map((h) => h.json!.eventType);
    expect(order).toEqual(["mediaStreamStarted", "mediaStreamStopped", "disconnect"]);
    expect(a.hits.find((h) => h.path === "/status")!.json).toMatchObject({ cause: "node-capacity-exceeded" });
  });
});
