// The stub on its own worker thread (thread.ts): same protocol as in-thread, records mirrored by
// sync() with their audio bit-exact, times on this thread's clock, faults, logs, clean shutdown.
import { describe, expect, it } from "vitest";
import { realClock, ManualClock } from "../../clock.js";
import { startRealtimeStubThread } from "../thread.js";
import { appendAll, Client, GA_PCMU_UPDATE, mulawUtterance } from "./helpers.js";

describe("stub thread", () => {
  it("answers a voice turn like the in-thread stub; sync() mirrors the record with its audio and the main clock's times", async () => {
    const lines: string[] = [];
    const stub = await startRealtimeStubThread({ script: { turns: [{ audio: { synth: 300 }, transcript: "Hello there." }] }, log: (l) => lines.push(l) });
    try {
      expect(stub.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
      const c = await Client.connect(stub.url);
      await c.waitFor("session.created");
      const beforeUpdate = realClock.nowUs();
      c.send(GA_PCMU_UPDATE);
      await c.waitFor("session.updated");
      const afterUpdate = realClock.nowUs();
      const audio = mulawUtterance(200, 600, 700, 3);
      appendAll(c, audio);
      await c.waitFor("response.done");
      const got = Buffer.concat(c.of("response.output_audio.delta").map((d) => Buffer.from(d.delta, "base64")));
      expect(got.length).toBe(2400); // 300 ms of μ-law

      // A session shows up as it opens; its events and audio with the next sync().
      expect(stub.sessions()).toHaveLength(1);
      // The stub thread may answer before it has read the trailing appends (its socket and its port
      // are polled by its own loop): wait for the mirror to hold them all.
      const s = await stub.waitForSession((x) => x.appendedAudio().length === audio.length, 5000);
      expect(stub.sessions()).toEqual([s]);
      expect(s.id).toBe(c.of("session.created")[0].session.id);
      expect(Buffer.from(s.appendedAudio()).equals(Buffer.from(audio))).toBe(true);
      expect(Buffer.from(s.sentAudio()).equals(got)).toBe(true);
      expect(s.turns).toHaveLength(1);
      const t = s.turns[0];
      // Stamped on this thread's timeline: the stub read our session.update after we sent it, and
      // answered before we read the answer.
      const updateIn = s.clientEvents.find((e) => e.type === "session.update")!.t;
      const updatedOut = s.serverEvents.find((e) => e.type === "session.updated")!.t;
      expect(beforeUpdate).toBeLessThanOrEqual(updateIn);
      expect(updateIn).toBeLessThanOrEqual(updatedOut);
      expect(updatedOut).toBeLessThanOrEqual(afterUpdate);
      expect(t.sEndUs!).toBeGreaterThan(s.openedUs);
      expect(t.sFirstUs!).toBeGreaterThanOrEqual(t.sStoppedUs!);
      expect(t.sFirstUs!).toBeLessThanOrEqual(realClock.nowUs());
      expect(s.serverEvents.map((e) => e.type)).toContain("response.done");
      const json = JSON.parse(JSON.stringify(s));
      expect(json).toMatchObject({ id: s.id, appendedAudioBytes: audio.length, sentAudioBytes: 2400 });
      expect(json).not.toHaveProperty("appended");

      // The same object is updated in place by later syncs.
      await c.close();
      await stub.sync();
      const closed = await stub.waitForSession((x) => x.closedUs !== undefined, 5000);
      expect(closed).toBe(s);
      expect(s.closedBy).toBe("client");
      expect(lines.some((l) => l.includes(`${s.id} open`))).toBe(true);
    } finally {
      await stub.close();
    }
  });

  it("addFault targets a session by number; a bad fault or option is refused at once", async () => {
    const stub = await startRealtimeStubThread();
    try {
      expect(() => stub.addFault({ kind: "close", atMs: -5 } as never)).toThrow();
      stub.addFault({ kind: "close", atMs: 50, code: 1011, session: 2 });
      await stub.sync();
      const a = await Client.connect(stub.url);
      await a.waitFor("session.created");
      const b = await Client.connect(stub.url);
      await b.until((x) => !!x.closed, 5000);
      expect(b.closed!.code).toBe(1011);
      expect(a.closed).toBeUndefined();
      await a.close();
      await expect(stub.waitForSession((s) => s.turns.length > 3, 200)).rejects.toThrow(/no matching stub session within 200 ms/);
    } finally {
      await stub.close();
    }
    await expect(startRealtimeStubThread({ clock: new ManualClock() } as never)).rejects.toThrow(/cannot cross threads/);
  });

  it("a start-up failure is reported; close() is idempotent and later calls fail cleanly", async () => {
    await expect(startRealtimeStubThread({ maxClientFrameBytes: 1024 })).rejects.toThrow(/at least 21 MiB/);
    const stub = await startRealtimeStubThread();
    await stub.close();
    await stub.close();
    await expect(stub.sync()).rejects.toThrow(/closed/);
  });
});
