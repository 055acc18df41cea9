// Matching stub sessions to load calls (src/load/stub-turns.ts).
import { describe, expect, it } from "vitest";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";
import { pickSession, StubMatcher } from "../../src/load/stub-turns.js";

const session = (id: string, openedUs: number, turns: number[] = []): StubSessionRecord =>
  ({ id, openedUs, turns: turns.map((index) => ({ index, itemId: `i${index}`, configuredThinkMs: 700, cancelled: false, audioBytesSent: 0, bargeIn: false })) }) as unknown as StubSessionRecord;

describe("pickSession", () => {
  it("takes the unowned session that opened closest to the call's stream connect, during the call", () => {
    const s = [session("a", 1_000_000), session("b", 1_050_000), session("c", 9_000_000)];
    expect(pickSession(s, { connectUs: 1_040_000, endedUs: 8_000_000 }, new Set())?.id).toBe("b");
    expect(pickSession(s, { connectUs: 1_040_000, endedUs: 8_000_000 }, new Set(["b"]))?.id).toBe("a");
    // c opened after the call ended; none opened within 3 s of this call's connect.
    expect(pickSession(s, { connectUs: 5_000_000, endedUs: 8_000_000 }, new Set())).toBeUndefined();
  });
});

describe("StubMatcher", () => {
  it("answers a batch with one sync and never hands one session to two calls", async () => {
    let syncs = 0;
    const sessions = [session("a", 1_000_000, [1]), session("b", 2_000_000, [1, 2])];
    const m = new StubMatcher({ sessions: () => sessions, sync: async () => void syncs++ }, 5);
    const [x, y, z] = await Promise.all([
      m.lookup({ callId: "c1", connectUs: 990_000, endedUs: 5_000_000 }),
      m.lookup({ callId: "c2", connectUs: 1_990_000, endedUs: 6_000_000 }),
      m.lookup({ callId: "c3", connectUs: 1_995_000, endedUs: 6_000_000 }),
    ]);
    expect(syncs).toBe(1);
    expect([x?.length, y?.length, z?.length].sort()).toEqual([1, 2, undefined].sort());
    m.close();
  });
});
