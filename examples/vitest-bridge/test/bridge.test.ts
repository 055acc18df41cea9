// The bridge under test talks to bwemu exactly as it talks to Bandwidth and OpenAI: bwemu places
// real calls to its webhook URL, streams the caller's speech over its media WebSocket in real time,
// and stands in for OpenAI Realtime (useBwemu().realtimeUrl).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBwemu } from "bwemu/vitest";
import { startBridge, type Bridge } from "../src/bridge.js";

const bwemu = useBwemu();
let bridge: Bridge;

beforeAll(async () => {
  bridge = await startBridge({ realtimeUrl: bwemu.realtimeUrl });
});
afterAll(() => bridge?.close());

describe("the bakery bridge", () => {
  it("answers with BXML that lints clean: it streams and keeps the call up", async () => {
    const res = await fetch(bridge.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ eventType: "initiate" }) });
    expect(res.headers.get("content-type")).toBe("application/xml");
    // Not `strict`: on loopback the stream is ws://, which bwemu flags with a warning (production wants wss://).
    expect(await res.text()).toBeValidBxml();
  });

  it("relays a two-turn conversation: the caller hears each reply", async () => {
    const call = await bwemu.placeCall(bridge.url, { audio: { turns: 2 } });
    expect(call).toHaveStreamed();
    expect(call).toHaveReceivedWebhook("initiate");
    expect(call).toHaveReceivedWebhook("mediaStreamStarted");
    expect(call).toHaveHeardReply();
    // A generous bound: the stub itself takes ~0.8 s (end-of-speech detection + its response delay),
    // and CI machines are shared. Tighten it on your own hardware.
    expect(call).toHaveTurnLatencyBelow(5000);
    expect(call.disconnectCause).toBe("hangup");
  });

  it("streams an outbound call the same way (the callee answers)", async () => {
    const call = await bwemu.placeCall(bridge.url, { direction: "outbound", audio: { turns: 1 } });
    expect(call).toHaveReceivedWebhook("answer");
    expect(call).toHaveStreamed();
    expect(call).toHaveHeardReply();
  });

  it("ends the model session when the caller hangs up", async () => {
    const call = await bwemu.placeCall(bridge.url, { maxDurationMs: 1500 });
    expect(call).toHaveStreamed();
    expect(call).toHaveReceivedWebhook("mediaStreamStopped");
    expect(call.stubSessions).toHaveLength(1);
    expect(call.stubSessions[0].closedBy).toBe("client");
  });
});
