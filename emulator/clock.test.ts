// VirtualClock (`--fast`): sleepers wake in deadline order with the clock reading their deadlines,
// time never skips while something holds it, and an aborted sleeper is forgotten (it can neither
// wake nor pull the clock forward).
import { describe, expect, it } from "vitest";
import { VirtualClock } from "./clock.js";

const turn = () => new Promise((r) => setTimeout(r, 5));

describe("VirtualClock", () => {
  it("skips ahead to each sleeper's deadline, in order, and reads it", async () => {
    const c = new VirtualClock();
    const t0 = c.nowUs();
    const woke: [string, number][] = [];
    await Promise.all(
      ([["hour", 3_600_000], ["ring", 30_000], ["gap", 500]] as const).map(([name, ms]) => c.sleepUs(ms * 1000).then(() => woke.push([name, c.nowUs() - t0]))),
    );
    expect(woke.map(([n]) => n)).toEqual(["gap", "ring", "hour"]);
    expect(woke[0][1]).toBeGreaterThanOrEqual(500_000);
    expect(woke[1][1]).toBeGreaterThanOrEqual(30_000_000);
    expect(woke[2][1]).toBeGreaterThanOrEqual(3_600_000_000);
    expect(c.skippedMs).toBeGreaterThan(3_500_000);
    // Wall time moved with it.
    expect(c.wallNow().getTime() - Date.now()).toBeGreaterThan(3_500_000);
  });

  it("does not skip while held; skips once released", async () => {
    const c = new VirtualClock();
    const release = c.hold();
    let woke = false;
    const p = c.sleepUs(3_600_000_000).then(() => (woke = true));
    for (let i = 0; i < 5; i++) await turn();
    expect(woke).toBe(false);
    expect(c.skippedMs).toBe(0);
    release();
    release(); // idempotent
    await p;
    expect(woke).toBe(true);
  });

  it("an aborted sleeper never wakes and never pulls the clock forward", async () => {
    const c = new VirtualClock();
    const ac = new AbortController();
    let wokeLong = false;
    void c.sleepUs(3_600_000_000, ac.signal).then(() => (wokeLong = true));
    ac.abort();
    await c.sleepUs(10_000);
    for (let i = 0; i < 5; i++) await turn();
    expect(wokeLong).toBe(false);
    expect(c.skippedMs).toBeLessThan(1000);
  });
});
