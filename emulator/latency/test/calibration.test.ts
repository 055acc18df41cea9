// checkCalibration (calibration.ts): what makes a direct-mode run's calibration off. Pure.
import { describe, expect, it } from "vitest";
import { checkCalibration } from "../calibration.js";
import type { CallLatency, TurnLatency } from "../types.js";

function call(turns: Partial<TurnLatency>[], valid = true): CallLatency {
  return {
    callId: "c-cal",
    turns: turns.map((t, i) => ({ index: i, kind: "turn", evidence: [], pacingFlag: false, ...t })),
    harnessErrors: turns.filter((t) => t.harnessError).length,
    overheadErrorMs: 1,
    stub: { present: true, valid, carrierTurns: turns.length, stubTurns: turns.length },
  } as unknown as CallLatency;
}

describe("checkCalibration", () => {
  it("ok when every judged turn reads B within ±tolerance and E flags nothing; warm-up turns are listed, not judged", () => {
    const c = checkCalibration([call([{ bridgeOverheadMs: 9.4 }, { bridgeOverheadMs: 0.4 }, { bridgeOverheadMs: -0.2 }, { bridgeOverheadMs: 1 }])], 1, 1);
    expect(c).toMatchObject({ ok: true, toleranceMs: 1 });
    expect(c.turns.map((t) => t.bridgeOverheadMs)).toEqual([9.4, 0.4, -0.2, 1]);
  });

  it("a single slow hop above the tolerance is listed, not fatal; a slow median is", () => {
    expect(checkCalibration([call([{ bridgeOverheadMs: 0.8 }, { bridgeOverheadMs: 6.7 }, { bridgeOverheadMs: 1.1 }])], 1).ok).toBe(true);
    const slow = checkCalibration([call([{ bridgeOverheadMs: 5.2 }, { bridgeOverheadMs: 6.7 }, { bridgeOverheadMs: 1.1 }])], 1);
    expect(slow.ok).toBe(false);
    expect(slow.reason).toMatch(/median B with no bridge is 5\.200 ms, over 1 ms \+ 4 ms/);
    expect(checkCalibration([call([{ bridgeOverheadMs: 5.2 }, { bridgeOverheadMs: 6.7 }])], 1, 0, 10).ok).toBe(true);
  });

  it.each([
    [{ bridgeOverheadMs: 20 }, /B = 20\.000 ms with no bridge: a frame or more/],
    [{ bridgeOverheadMs: -1.5 }, /B = -1\.500 ms/],
    [{ bridgeOverheadMs: -19.6 }, /B = -19\.600 ms .*the measurement points disagree/],
    [{ bridgeOverheadMs: 0.2, pacingFlag: true, pacingExcessMs: 31 }, /E = 31\.000 ms flags late audio/],
    [{ harnessError: "speech ends do not match" }, /speech ends do not match/],
    [{ failure: "missing-reply" as const }, /no reply \(missing-reply\)/],
    [{}, /no B/],
  ])("off, naming the turn, when %o", (t, reason) => {
    const c = checkCalibration([call([{ bridgeOverheadMs: 0 }, t])], 1);
    expect(c.ok).toBe(false);
    expect(c.reason).toMatch(/^turn 1: /);
    expect(c.reason).toMatch(reason);
  });

  it("off when the stub's turns do not match the carrier's, or nothing was measured", () => {
    expect(checkCalibration([call([{ bridgeOverheadMs: 0 }], false)]).ok).toBe(false);
    expect(checkCalibration([call([{ bridgeOverheadMs: 0 }])], 1, 1)).toMatchObject({ ok: false, reason: "no turn was measured" });
  });
});
