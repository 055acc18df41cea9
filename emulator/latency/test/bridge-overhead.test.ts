// §12.3.3 end to end on loopback: carrier timeline (a real ws client recording the carrier's kinds),
// the reference bridge with and without an injected downstream delay, and the Realtime stub's own
// turn timestamps. B(n) must move by the injected delay (issue 4: "D ± 2 ms at p50"). Two cores are
// shared by many processes, so the assertions rest on what holds under any load: causality (B ≥ 0,
// and B ≥ D with the delay), and the difference of per-call minimums (a load spike only ever adds).
// The precise figure is a benchmark's job.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Timeline } from "../../timeline.js";
import { startRealtimeStub, type RealtimeStub } from "../../realtime/server.js";
import { startReferenceBridge } from "../../../fixtures/bridges/reference/index.js";
import { Carrier, attr, initiate, speechFrames } from "../../../fixtures/bridges/test/helpers.js";
import { computeCallLatency, formatCallLatency, type CallLatency } from "../index.js";

let stub: RealtimeStub;

beforeAll(async () => {
  stub = await startRealtimeStub({
    port: 0,
    script: { turns: [{ audio: { synth: 300 }, transcript: "ok", responseDelayMs: 100 }], defaults: { deltaMs: 100, pacing: "burst" } },
  });
});
afterAll(async () => {
  await stub.close();
});

async function measure(callId: string, downstreamDelayMs: number, turns: number): Promise<CallLatency> {
  const bridge = await startReferenceBridge({ realtimeUrl: stub.url, faults: { downstreamDelayMs } });
  const timeline = new Timeline();
  try {
    const { text } = await initiate(bridge.url, callId);
    const carrier = await Carrier.connect(attr(text, "StartStream", "destination")!, {
      username: attr(text, "StartStream", "destinationUsername")!,
      password: attr(text, "StartStream", "destinationPassword")!,
    });
    carrier.record = { timeline, callId, streamId: `s-${callId}` };
    carrier.start(callId);
    const record = await stub.waitForSession((s) => s.turns.length === 0 && s.closedUs === undefined && s.appendCount === 0, 10_000);
    await carrier.silenceUntil(() => false, 300);
    for (let n = 0; n < turns; n++) {
      const before = carrier.of("playAudio").length;
      await carrier.paced(speechFrames(400, n + 1), "inbound", { index: n + 1 });
      const replied = await carrier.silenceUntil(() => carrier.of("playAudio").length > before, 10_000);
      expect(replied).toBe(true);
      // §12.3.4: the next utterance only after the reply played and 500 ms without playAudio
      await carrier.silenceUntil(() => false, 300 + 500 + downstreamDelayMs);
    }
    carrier.stop(callId);
    await carrier.closed;
    return computeCallLatency(timeline, callId, record);
  } finally {
    await bridge.close();
  }
}

describe("bridge overhead B(n) = L(n) − K(n) on loopback", () => {
  it("moves by the injected downstream delay", async () => {
    const ref = await measure("c-lat-ref", 0, 4);
    const slow = await measure("c-lat-slow", 50, 4);
    for (const lat of [ref, slow]) {
      expect(lat.stub).toMatchObject({ present: true, valid: true, carrierTurns: 4, stubTurns: 4 });
      expect(lat.summary.turn).toMatchObject({ n: 4, failures: 0 });
      for (const t of lat.turns) {
        expect(t.thinkMs).toBeGreaterThanOrEqual(95); // never below the scripted response delay
        expect(t.bridgeOverheadMs).toBeCloseTo(t.turnMs! - t.thinkMs!, 9);
      }
    }
    // The synthetic speech ends abruptly, so the stub's end of speech is the carrier's last speech frame.
    for (const t of ref.turns) expect(t.bridgeOverheadMs!).toBeGreaterThanOrEqual(0);
    for (const t of slow.turns) expect(t.bridgeOverheadMs!).toBeGreaterThanOrEqual(49); // the delay is a floor
    if (process.env.BWEMU_DEBUG_LATENCY) console.log(formatCallLatency(ref) + "\n\n" + formatCallLatency(slow));
    const b0 = ref.summary.bridgeOverhead.min!;
    const b50 = slow.summary.bridgeOverhead.min!;
    expect(b50 - b0).toBeGreaterThan(25);
    expect(b50 - b0).toBeLessThan(200);
    expect(formatCallLatency(slow)).toContain("bridge overhead B");
  });
});
