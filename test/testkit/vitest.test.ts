// bwemu/vitest over real calls on loopback: useBwemu() starts the carrier and the stub for this
// file; the reference bridge relays a two-turn conversation to the stub; small apps that do less
// show what each matcher says when it fails (the observed values, not just "expected true").
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReferenceBridge, type RunningBridge } from "../../fixtures/bridges/reference/index.js";
import { bwemuMatchers, useBwemu, type PlacedCall } from "../../src/vitest.js";

const bwemu = useBwemu();

/** An app answering every webhook with `bxml` (a function of the request path), recording what it was sent. */
async function tinyApp(bxml: (path: string) => string | undefined): Promise<{ url: string; seen: { path: string; eventType?: string }[]; close(): Promise<void> }> {
  const seen: { path: string; eventType?: string }[] = [];
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.push({ path, eventType: body ? (JSON.parse(body) as { eventType?: string }).eventType : undefined });
    const doc = bxml(path);
    if (doc === undefined) return res.writeHead(204).end();
    res.writeHead(200, { "content-type": "application/xml" }).end(doc);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/voice`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe("a bridge relaying to the stub", () => {
  let bridge: RunningBridge;
  let call: PlacedCall;
  beforeAll(async () => {
    bridge = await startReferenceBridge({ realtimeUrl: bwemu.realtimeUrl, greeting: true });
    call = await bwemu.placeCall(bridge.url, { audio: { turns: 2 } });
  }, 60_000);
  afterAll(() => bridge?.close());

  it("passes every matcher", () => {
    expect(call.direction).toBe("inbound");
    expect(call.disconnectCause).toBe("hangup");
    expect(call).toHaveStreamed({ minMs: 1000 });
    expect(call).toHaveReceivedWebhook("initiate", { times: 1 });
    expect(call).toHaveReceivedWebhook("mediaStreamStarted");
    expect(call).toHaveHeardReply({ minMs: 500 });
    expect(call).toHaveTurnLatencyBelow(8000);
    expect(call.stubSessions).toHaveLength(1);
    expect(call.latency?.stub.valid).toBe(true);
  });

  it("reports each turn's figure when the latency is over the bound", () => {
    expect(call).not.toHaveTurnLatencyBelow(1);
    const r = bwemuMatchers.toHaveTurnLatencyBelow(call, 1);
    expect(r.pass).toBe(false);
    expect(r.message()).toMatch(/every turn's latency to be below 1 ms.*\n {2}turn 0: \d+ ms {2}← not below 1 ms\n {2}turn 1: \d+ ms/);
    expect(r.message()).toMatch(/\nmax: \d+ ms$/);
    const p50 = bwemuMatchers.toHaveTurnLatencyBelow(call, 60_000, { percentile: "p50" });
    expect(p50.pass).toBe(true);
    expect(p50.message()).toMatch(/not to be below 60\.00 s/);
  });

  it("calls placed at the same time each get their own stub session", async () => {
    const [a, b] = await Promise.all([
      // The first ends while the second is still live: its session opened inside the first call's window.
      // Sessions are matched to calls by time (like `bwemu test`, whose calls start 350 ms apart); 1 s
      // apart leaves room for a bridge slow to open its session on a busy machine.
      bwemu.placeCall(bridge.url, { maxDurationMs: 1500 }),
      new Promise((r) => setTimeout(r, 1000)).then(() => bwemu.placeCall(bridge.url, { maxDurationMs: 2000 })),
    ]);
    expect(a.stubSessions).toHaveLength(1);
    expect(b.stubSessions).toHaveLength(1);
    expect(a.stubSessions[0].id).not.toBe(b.stubSessions[0].id);
  });

  it("says what streamed when asked for a stream that did not", () => {
    const r = bwemuMatchers.toHaveStreamed(call, { name: "nope" });
    expect(r.pass).toBe(false);
    expect(r.message()).toMatch(/expected the call to have stream 'nope'/);
    const long = bwemuMatchers.toHaveStreamed(call, { minMs: 600_000 });
    expect(long.pass).toBe(false);
    expect(long.message()).toMatch(/→ ws:\/\/127\.0\.0\.1:\d+\/media.*: connected, \d+\.\d\d s of caller audio sent, closed by/);
  });
});

describe("an app that answers without streaming", () => {
  let app: Awaited<ReturnType<typeof tinyApp>>;
  let call: PlacedCall;
  beforeAll(async () => {
    app = await tinyApp(() => '<Response><SpeakSentence>Goodbye.</SpeakSentence><Hangup/></Response>');
    call = await bwemu.placeCall(app.url);
  });
  afterAll(() => app?.close());

  it("fails toHaveStreamed with the BXML it got", () => {
    expect(call).not.toHaveStreamed();
    const r = bwemuMatchers.toHaveStreamed(call);
    expect(r.message()).toMatch(/no StartStream ran \(1 BXML document\(s\) received, the first:\n {4}<Response><SpeakSentence>Goodbye\./);
    expect(r.message()).toMatch(/the call ended: hangup/);
  });

  it("lists the webhooks that were sent, and the eventType it meant", () => {
    expect(call).toHaveReceivedWebhook("initiate");
    expect(call).not.toHaveReceivedWebhook("mediaStreamStarted");
    const r = bwemuMatchers.toHaveReceivedWebhook(call, "mediaStreamStarted");
    expect(r.message()).toMatch(/sent 0 time\(s\), acknowledged 0\nwebhooks sent: initiate \(200\)/);
    expect(r.message()).toMatch(/only to a StartStream's streamEventUrl/);
    const typo = bwemuMatchers.toHaveReceivedWebhook(call, "streamStarted");
    expect(typo.message()).toMatch(/"streamStarted" is not one of Bandwidth's eventTypes: did you mean "mediaStreamStarted"\?/);
    expect(app.seen.map((s) => s.eventType)).toEqual(["initiate"]);
  });

  it("toHaveTurnLatencyBelow explains that nothing was measured", () => {
    const r = bwemuMatchers.toHaveTurnLatencyBelow(call, 1000);
    expect(r.pass).toBe(false);
    expect(r.message()).toMatch(/the caller said nothing \(give placeCall an `audio`\)/);
  });

  it("the caller heard the SpeakSentence", () => {
    expect(call).toHaveHeardReply({ minMs: 100 });
  });
});

describe("a stream nobody accepts", () => {
  let app: Awaited<ReturnType<typeof tinyApp>>;
  beforeAll(async () => {
    app = await tinyApp((path) =>
      path === "/voice"
        ? '<Response><StartStream name="agent" mode="bidirectional" destination="ws://127.0.0.1:1/media" streamEventUrl="/events"/><Pause duration="1"/></Response>'
        : undefined,
    );
  });
  afterAll(() => app?.close());

  it("says the stream did not connect, and the webhook was sent but not as started", async () => {
    const call = await bwemu.placeCall(app.url, { maxDurationMs: 2000 });
    const r = bwemuMatchers.toHaveStreamed(call);
    expect(r.pass).toBe(false);
    expect(r.message()).toMatch(/'agent' → ws:\/\/127\.0\.0\.1:1\/media: not connected \(/);
    expect(call).toHaveReceivedWebhook("mediaStreamRejected");
    expect(call).not.toHaveHeardReply();
    const heard = bwemuMatchers.toHaveHeardReply(call);
    expect(heard.message()).toMatch(/the caller heard 0 ms of speech in \d\.\d\d s of call audio \(0 playAudio chunk\(s\) queued\)/);
  });

  it("callRecord waits for a call started elsewhere, with a bound", async () => {
    const handle = bwemu.carrier.placeCall({ appUrl: app.url, maxDurationMs: 20_000 });
    await expect(bwemu.callRecord(handle.callId, { timeoutMs: 100 })).rejects.toThrow(`callRecord: call ${handle.callId} is still live after 100 ms`);
    handle.hangup();
    const rec = await bwemu.callRecord(handle.callId);
    expect(rec.callId).toBe(handle.callId);
    expect(rec).toHaveReceivedWebhook("initiate");
  });

  it("an outbound call: the app is sent `answer`", async () => {
    const call = await bwemu.placeCall(app.url, { direction: "outbound", maxDurationMs: 1500 });
    expect(call.direction).toBe("outbound");
    expect(call).toHaveReceivedWebhook("answer");
    expect(call).not.toHaveReceivedWebhook("initiate");
  });
});

describe("the caller's keypad", () => {
  it("dtmf reaches the app's Gather, and its gather webhook is on the record", async () => {
    const app = await tinyApp((path) =>
      path === "/voice" ? '<Response><Gather gatherUrl="/digits" terminatingDigits="#" maxDigits="5"/></Response>' : "<Response><Hangup/></Response>",
    );
    try {
      const call = await bwemu.placeCall(app.url, { dtmf: "12#" });
      expect(call).toHaveReceivedWebhook("gather");
      expect(call.webhooks.find((w) => w.eventType === "gather")?.payload).toMatchObject({ digits: "12", terminatingDigit: "#" });
      expect(call.disconnectCause).toBe("hangup");
    } finally {
      await app.close();
    }
  });
});

describe("bad input", () => {
  it("refuses an app URL that is not absolute http(s)", async () => {
    await expect(bwemu.placeCall("/voice")).rejects.toThrow(/placeCall: appUrl must be an absolute http\(s\) URL .*got "\/voice"/);
  });
  it("refuses an unreadable WAV with its reason, before placing a call", async () => {
    const before = bwemu.carrier.calls.size;
    await expect(bwemu.placeCall("http://127.0.0.1:1/voice", { audio: "/nonexistent/caller.wav" })).rejects.toThrow(/placeCall: .*caller\.wav/);
    await expect(bwemu.placeCall("http://127.0.0.1:1/voice", { audio: { turns: 0 } })).rejects.toThrow(/audio\.turns: must be a whole number/);
    await expect(bwemu.placeCall("http://127.0.0.1:1/voice", { dtmf: "12x" })).rejects.toThrow(/placeCall: dtmf "12x" may only contain/);
    expect(bwemu.carrier.calls.size).toBe(before);
  });
  it("a matcher given something else than a record says so", () => {
    expect(bwemuMatchers.toHaveStreamed("x").message()).toMatch(/expected the record placeCall\(\) returns .*got string/);
    expect(bwemuMatchers.toHaveReceivedWebhook({ callId: "c", streams: [], webhooks: [] } as never, 42 as never).message()).toMatch(/give Bandwidth's eventType name as a string/);
  });
  it("callRecord of an unknown call id", async () => {
    await expect(bwemu.callRecord("c-nope")).rejects.toThrow(/no call "c-nope" on this carrier/);
  });
});
