// Pacing scheduler: absolute deadlines, no drift, cancellation, lateness, fast mode (scheduler.ts).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, realClock, type Clock } from "../clock.js";
import { createPacingScheduler, sharedScheduler, type PacingScheduler } from "./scheduler.js";

const P = 20_000; // 20 ms in µs

/** A test clock over ManualClock whose sleeps overrun: always by `lagUs`, once by `stallUs`. */
class LaggyClock implements Clock {
  readonly inner = new ManualClock();
  stallUs = 0;
  constructor(private readonly lagUs: number) {}
  nowUs() {
    return this.inner.nowUs();
  }
  wallNow() {
    return this.inner.wallNow();
  }
  sleepUs(us: number) {
    const extra = this.lagUs + this.stallUs;
    this.stallUs = 0;
    return this.inner.sleepUs(us + extra);
  }
}

let open: PacingScheduler[] = [];
const make = (...a: Parameters<typeof createPacingScheduler>) => {
  const s = createPacingScheduler(...a);
  open.push(s);
  return s;
};
afterEach(() => {
  for (const s of open) s.close();
  open = [];
});

describe("pacing scheduler on a ManualClock", () => {
  it("fires tick n at exactly start + n·period: no drift over 10 000 ticks", async () => {
    const clock = new ManualClock(1_000);
    const s = make({ clock });
    const at: number[] = [];
    const late: number[] = [];
    s.every({ periodUs: P, startUs: 1_000, onTick: (n, l) => void (at[n] = clock.nowUs(), late.push(l)) });
    await clock.advanceUs(10_000 * P);
    expect(at.length).toBe(10_001);
    const off = at.filter((t, n) => t !== 1_000 + n * P);
    expect(off).toEqual([]);
    expect(Math.max(...late)).toBe(0);
    expect(s.lateness()).toEqual({ count: 10_001, p50Us: 0, p99Us: 0, maxUs: 0 });
  });

  it("interleaves streams by deadline, ties in creation order", async () => {
    const clock = new ManualClock();
    const s = make({ clock });
    const log: string[] = [];
    s.every({ periodUs: P, startUs: 0, onTick: (n) => void log.push(`a${n}`) });
    s.every({ periodUs: P, startUs: 5_000, onTick: (n) => void log.push(`b${n}`) });
    s.every({ periodUs: P, startUs: 0, onTick: (n) => void log.push(`c${n}`) });
    await clock.advanceUs(2 * P);
    expect(log).toEqual(["a0", "c0", "b0", "a1", "c1", "b1", "a2", "c2"]);
  });

  it("tick 0 defaults to now; a later start waits", async () => {
    const clock = new ManualClock(50_000);
    const s = make({ clock });
    const at: number[] = [];
    s.every({ periodUs: P, onTick: () => void at.push(clock.nowUs()) });
    s.every({ periodUs: P, startUs: 90_000, onTick: () => void at.push(clock.nowUs()) });
    await clock.advanceUs(41_000);
    expect(at).toEqual([50_000, 70_000, 90_000, 90_000]);
  });

  it("cancel() and onTick returning false stop a stream; the others go on", async () => {
    const clock = new ManualClock();
    const s = make({ clock });
    const counts = { a: 0, b: 0, c: 0 };
    const a = s.every({ periodUs: P, startUs: 0, onTick: () => void counts.a++ });
    s.every({ periodUs: P, startUs: 0, onTick: (n) => (counts.b++, n < 4) });
    s.every({ periodUs: P, startUs: 0, onTick: () => void counts.c++ });
    expect(s.active).toBe(3);
    await clock.advanceUs(9 * P);
    a.cancel();
    a.cancel(); // idempotent
    await clock.advanceUs(10 * P);
    expect(counts).toEqual({ a: 10, b: 5, c: 20 });
    expect(s.active).toBe(1);
  });

  it("a stream can cancel itself from inside onTick", async () => {
    const clock = new ManualClock();
    const s = make({ clock });
    let ticks = 0;
    const h = s.every({ periodUs: P, startUs: 0, onTick: () => void (++ticks === 3 && h.cancel()) });
    await clock.advanceUs(10 * P);
    expect(ticks).toBe(3);
  });

  it("records lateness per tick and still keeps absolute deadlines", async () => {
    const clock = new LaggyClock(300);
    const s = make({ clock });
    const at: number[] = [];
    const h = s.every({ periodUs: P, startUs: P, onTick: (n, late) => void (at.push(clock.nowUs()), expect(late).toBe(300)) });
    await clock.inner.advanceUs(100 * P + 1_000);
    expect(at.length).toBe(100);
    expect(at.every((t, n) => t === (n + 1) * P + 300)).toBe(true); // late, but never drifting
    expect(h.lateness()).toEqual({ count: 100, p50Us: 300, p99Us: 300, maxUs: 300 });
    expect(s.lateness().count).toBe(100);
    s.resetLateness();
    expect(s.lateness().count).toBe(0);
  });

  it("a stream started with lateness: false keeps no histogram of its own; the scheduler's still counts its ticks", async () => {
    const clock = new LaggyClock(300);
    const s = make({ clock });
    let ticks = 0;
    const h = s.every({ periodUs: P, startUs: P, lateness: false, onTick: () => void ticks++ });
    await clock.inner.advanceUs(10 * P + 1_000);
    expect(ticks).toBe(10);
    expect(h.lateness()).toEqual({ count: 0, p50Us: 0, p99Us: 0, maxUs: 0 });
    expect(s.lateness()).toMatchObject({ count: 10, p99Us: 300 });
  });

  it("catches up after a stall, tick by tick, with each tick's lateness", async () => {
    const clock = new LaggyClock(0);
    clock.stallUs = 65_000; // the first wait overruns by 65 ms
    const s = make({ clock });
    const seen: [number, number][] = [];
    s.every({ periodUs: P, startUs: 0, onTick: (n, late) => void seen.push([n, late]) });
    await clock.inner.advanceUs(5 * P);
    expect(seen).toEqual([
      [0, 65_000], [1, 45_000], [2, 25_000], [3, 5_000],
      [4, 0], [5, 0],
    ]);
  });

  it("an onTick that throws stops only its stream and reports the error", async () => {
    const clock = new ManualClock();
    const s = make({ clock });
    const errors: unknown[] = [];
    let good = 0;
    s.every({ periodUs: P, startUs: 0, onTick: (n) => { if (n === 2) throw new Error("boom"); }, onError: (e) => errors.push(e) });
    s.every({ periodUs: P, startUs: 0, onTick: () => void good++ });
    await clock.advanceUs(5 * P);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("boom");
    expect(good).toBe(6);
    expect(s.active).toBe(1);
  });

  it("close() stops everything; every() afterwards throws; bad periods are refused", async () => {
    const clock = new ManualClock();
    const s = make({ clock });
    let ticks = 0;
    s.every({ periodUs: P, startUs: 0, onTick: () => void ticks++ });
    await clock.advanceUs(P);
    s.close();
    await clock.advanceUs(10 * P);
    expect(ticks).toBe(2);
    expect(s.closed).toBe(true);
    expect(s.active).toBe(0);
    expect(() => s.every({ periodUs: P, onTick: () => {} })).toThrow(/closed/);
    const t = make({ clock });
    expect(() => t.every({ periodUs: 0, onTick: () => {} })).toThrow(RangeError);
    expect(() => t.every({ periodUs: Number.NaN, onTick: () => {} })).toThrow(RangeError);
  });
});

describe("phase slots", () => {
  /** Each stream's first tick time, in start order. */
  const firstTicks = async (clock: ManualClock, s: PacingScheduler, startsAtUs: number[]) => {
    const first: number[] = [];
    for (const [i, t] of startsAtUs.entries()) {
      await clock.advanceUs(t - clock.nowUs());
      s.every({ periodUs: P, onTick: () => void (first[i] ??= clock.nowUs()) });
    }
    await clock.advanceUs(2 * P);
    return first;
  };

  it("the first stream sets the grid; later ones wait for its next tick (one burst per period)", async () => {
    const clock = new ManualClock(1_000);
    const s = make({ clock, phaseSlotUs: P });
    expect(await firstTicks(clock, s, [1_000, 4_000, 21_000, 40_999])).toEqual([1_000, 21_000, 21_000, 41_000]);
  });

  it("a slot holds `slotStreams` streams; then the next slot of the period fills, then the emptiest", async () => {
    const clock = new ManualClock();
    const s = make({ clock, phaseSlotUs: 5_000, slotStreams: 2 });
    // Slots at 0, 5, 10 and 15 ms (mod 20): the fullest with room, ties the soonest; once all hold
    // two, the emptiest (9 ms: slot 10 ms; 11 ms: slot 15 ms, as 10 ms now holds three).
    expect(await firstTicks(clock, s, [0, 1_000, 2_000, 3_000, 4_000, 6_000, 7_000, 8_000, 9_000, 11_000])).toEqual([
      0, 20_000, 5_000, 5_000, 10_000, 10_000, 15_000, 15_000, 10_000, 15_000,
    ]);
  });

  it("a stream that ends frees its place; an idle scheduler starts a new grid", async () => {
    const clock = new ManualClock();
    const s = make({ clock, phaseSlotUs: 10_000, slotStreams: 1 });
    const a = s.every({ periodUs: P, onTick: () => undefined });
    await clock.advanceUs(1_000);
    const at: number[] = [];
    const b = s.every({ periodUs: P, onTick: () => void at.push(clock.nowUs()) }); // slot 0 is full: slot 1, 10 ms
    a.cancel();
    await clock.advanceUs(1_000);
    const c = s.every({ periodUs: P, onTick: () => void at.push(clock.nowUs()) }); // slot 0 is free again: 20 ms
    await clock.advanceUs(20_000);
    expect(at).toEqual([10_000, 20_000]);
    b.cancel();
    c.cancel();
    await clock.advanceUs(3_333);
    const d: number[] = [];
    s.every({ periodUs: P, onTick: () => void d.push(clock.nowUs()) });
    await clock.advanceUs(1);
    expect(d).toEqual([25_333]); // idle: the stream starts at once, on a grid of its own
  });

  it("a given startUs, a period the slot does not divide, and phaseSlotUs 0 start as asked", async () => {
    const clock = new ManualClock();
    const s = make({ clock, phaseSlotUs: P });
    s.every({ periodUs: P, onTick: () => undefined });
    await clock.advanceUs(3_000);
    const at: number[] = [];
    s.every({ periodUs: P, startUs: 3_500, onTick: () => void at.push(clock.nowUs()) });
    s.every({ periodUs: 30_000, onTick: () => void at.push(clock.nowUs()) });
    const u = make({ clock, phaseSlotUs: 0 });
    u.every({ periodUs: P, onTick: () => void at.push(clock.nowUs()) });
    await clock.advanceUs(1_000);
    expect(at).toEqual([3_000, 3_000, 3_500]);
  });
});

describe("fast mode", () => {
  it("runs ticks back-to-back with lateness 0, fair across streams", async () => {
    const s = make({ mode: "fast" });
    const counts = [0, 0];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("fast mode did not finish")), 20_000);
      s.every({ periodUs: P, onTick: (n, late) => { expect(late).toBe(0); counts[0]++; return n < 2_999; } });
      s.every({
        periodUs: P,
        onTick: (n) => {
          counts[1]++;
          if (n === 2_999) {
            clearTimeout(timer);
            resolve();
            return false;
          }
        },
      });
    });
    expect(counts).toEqual([3_000, 3_000]); // round-robin: neither got ahead
    expect(s.lateness()).toMatchObject({ count: 6_000, maxUs: 0 });
  });

  it("yields to I/O between batches", async () => {
    const s = make({ mode: "fast", fastSliceUs: 1_000 });
    let immediates = 0;
    let stop = false;
    const spin = () => {
      if (stop) return;
      immediates++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await new Promise<void>((resolve) => s.every({ periodUs: P, onTick: (n) => (n < 20_000 ? undefined : (resolve(), false)) }));
    stop = true;
    expect(immediates).toBeGreaterThan(2); // other callbacks ran while 20 000 ticks were produced
  });

  it("skips a stream whose ready() is false until it is ready again", async () => {
    const s = make({ mode: "fast" });
    let ready = false;
    let ticks = 0;
    s.every({ periodUs: P, ready: () => ready, onTick: () => (++ticks < 10 ? undefined : false) });
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks).toBe(0);
    ready = true;
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const poll = () => (ticks >= 10 ? resolve() : Date.now() - t0 > 10_000 ? reject(new Error("timeout")) : setTimeout(poll, 5));
      poll();
    });
    expect(ticks).toBe(10);
  });
});

describe("real clock (smoke test, generous bounds)", () => {
  it("paces two streams at 20 ms, never early, with lateness recorded", async () => {
    const s = make({ clock: realClock });
    const start = realClock.nowUs() + 5_000;
    const fired: number[][] = [[], []];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("ticks did not arrive")), 10_000);
      let doneCount = 0;
      for (const k of [0, 1]) {
        s.every({
          periodUs: P,
          startUs: start + k * 7_000,
          onTick: (n) => {
            fired[k].push(realClock.nowUs() - (start + k * 7_000 + n * P));
            if (n === 14) {
              if (++doneCount === 2) {
                clearTimeout(timer);
                resolve();
              }
              return false;
            }
          },
        });
      }
    });
    for (const f of fired) {
      expect(f.length).toBe(15);
      expect(Math.min(...f)).toBeGreaterThanOrEqual(0); // never before the deadline
    }
    const st = s.lateness();
    expect(st.count).toBe(30);
    expect(st.maxUs).toBeLessThan(2_000_000); // a loaded CI box may be slow, but not seconds
    expect(st.p50Us).toBeLessThanOrEqual(st.p99Us);
  });

  it("a long catch-up yields to the event loop instead of blocking it", async () => {
    const s = make({ clock: realClock });
    let ticks = 0;
    let seenByOther = -1;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("catch-up did not finish")), 20_000);
      s.every({
        periodUs: P,
        startUs: realClock.nowUs() - 10_000_000, // 500 ticks overdue
        onTick: () => {
          const until = performance.now() + 0.05;
          while (performance.now() < until); // 50 µs of work per tick: 25 ms in all
          if (++ticks === 500) {
            clearTimeout(t);
            resolve();
            return false;
          }
        },
      });
      setImmediate(() => (seenByOther = ticks));
    });
    expect(seenByOther).toBeGreaterThan(0);
    expect(seenByOther).toBeLessThan(500);
  });

  it("runDue() fires what is due at once, from inside a busy handler; nothing early; not re-entrant", async () => {
    const s = make({ clock: realClock, timer: "timer" });
    const start = realClock.nowUs() + 3_000;
    const fired: { n: number; lateUs: number; inRunDue: boolean }[] = [];
    let inRunDue = false;
    s.every({
      periodUs: P,
      startUs: start,
      onTick: (n, lateUs) => {
        fired.push({ n, lateUs, inRunDue });
        s.runDue(); // from inside a tick: a no-op, never a second firing
        if (n === 2) return false;
      },
    });
    s.runDue(); // nothing is due yet
    expect(fired).toEqual([]);
    // A handler busy past the deadline (a backlog of socket reads) calls runDue: tick 0 goes out now,
    // not when the event loop gets round to its timer.
    while (realClock.nowUs() < start + 1_000);
    inRunDue = true;
    s.runDue();
    inRunDue = false;
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ n: 0, inRunDue: true });
    expect(fired[0].lateUs).toBeGreaterThanOrEqual(1_000);
    // The rest still comes from the scheduler's own wake-ups, at their deadlines.
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("ticks did not arrive")), 10_000);
      const poll = setInterval(() => {
        if (fired.length === 3) (clearInterval(poll), clearTimeout(t), resolve());
      }, 5);
    });
    expect(fired.map((f) => f.n)).toEqual([0, 1, 2]);
    expect(fired.slice(1).every((f) => !f.inRunDue && f.lateUs >= 0)).toBe(true);
    expect(s.lateness().count).toBe(3);
  });

  it("runDue() is a no-op on a fast or closed scheduler", () => {
    const fast = make({ mode: "fast" });
    let n = 0;
    fast.every({ periodUs: P, onTick: () => void n++ });
    fast.runDue();
    expect(n).toBe(0); // fast mode runs from its own loop only
    fast.close();
    fast.runDue();
    expect(n).toBe(0);
  });

  for (const [timer, extra] of [["spin", {}], ["timer", {}], ["auto", {}], ["auto", { autoWorkerMaxStreams: 0 }], ["worker", {}]] as const) {
    it(`timer "${timer}"${"autoWorkerMaxStreams" in extra ? " (past its worker limit: setTimeout)" : ""} also paces and is never early`, async () => {
      const s = make({ clock: realClock, timer, ...extra });
      const start = realClock.nowUs() + 2_000;
      const early: number[] = [];
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("ticks did not arrive")), 10_000);
        s.every({
          periodUs: P,
          startUs: start,
          onTick: (n) => {
            if (realClock.nowUs() < start + n * P) early.push(n);
            if (n === 9) {
              clearTimeout(t);
              resolve();
              return false;
            }
          },
        });
      });
      expect(early).toEqual([]);
      expect(s.lateness().count).toBe(10);
    });
  }

  it("an idle scheduler does not keep the process alive; an active one does until its stream ends", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bwemu-sched-"));
    try {
      const script = join(dir, "exit.ts");
      writeFileSync(
        script,
        `import { sharedScheduler } from ${JSON.stringify(join(import.meta.dirname, "scheduler.ts"))};
         const s = sharedScheduler();
         let n = 0;
         s.every({ periodUs: 20_000, onTick: () => (++n < 10 ? undefined : false) });
         process.on("exit", () => console.log("ticks", n));`,
      );
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: join(import.meta.dirname, "../..") });
        let stdout = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stdout += d));
        const t = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`process did not exit: ${stdout}`));
        }, 20_000);
        child.on("exit", (code) => (clearTimeout(t), resolve({ code, stdout })));
      });
      expect(out.stdout.trim()).toBe("ticks 10");
      expect(out.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sharedScheduler is one instance per mode, recreated after close", () => {
    const a = sharedScheduler();
    expect(sharedScheduler("realtime")).toBe(a);
    expect(sharedScheduler("fast")).not.toBe(a);
    expect(sharedScheduler("fast").mode).toBe("fast");
    a.close();
    const b = sharedScheduler();
    expect(b).not.toBe(a);
    expect(b.closed).toBe(false);
    b.close();
    sharedScheduler("fast").close();
  });
});
