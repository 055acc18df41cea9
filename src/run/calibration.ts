// The latency calibration of a run (openai-realtime.md §12.3.3): one call in direct mode — the
// carrier's audio straight to the run's own Realtime stub, no bridge — over the speech fixtures.
// With nothing between them, B(n) is the harness's own loopback hops and must read 0 within the
// stated error on every turn (emulator/latency/calibration.ts); otherwise the run withholds its
// latency figures and says why. The run places it before its scenarios, on a quiet harness.

import { Carrier } from "../../emulator/call/carrier.js";
import type { CallerAudio } from "../../emulator/call/types.js";
import { connectDirect, startDirectAnswerApp } from "../../emulator/direct/answer.js";
import { checkCalibration, computeCallLatency, type CallLatency, type LatencyCalibration } from "../../emulator/latency/index.js";
import type { RealtimeStub } from "../../emulator/realtime/server.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";

/** The upgrade header that marks the calibration's Realtime session (so it is never matched to a bridge's call). */
export const CALIBRATION_HEADER = "x-bwemu-latency-calibration";

/** The caller's first turn warms the path up (the run has just started its stub thread and bridge) and is not judged. */
export const WARM_UP_TURNS = 1;

export function isCalibrationSession(s: StubSessionRecord): boolean {
  return s.headers[CALIBRATION_HEADER] !== undefined;
}

export interface CalibrationOutcome extends LatencyCalibration {
  latency?: CallLatency;
}

/** Place the direct-mode call, wait for it, and judge its turns. Never throws: a failure is an off calibration. */
export async function runCalibration(stub: RealtimeStub, caller: CallerAudio, o: { maxDurationMs: number; toleranceMs?: number }): Promise<CalibrationOutcome> {
  const tolerance = o.toleranceMs ?? 1;
  const app = await startDirectAnswerApp(o.maxDurationMs / 1000);
  const carrier = new Carrier({ settings: { pacing: "realtime" } });
  try {
    await carrier.listen(0);
    const handle = carrier.placeCall({ appUrl: app.url, caller, maxDurationMs: o.maxDurationMs, hangupAfterCallerMs: 300, label: "latency calibration (direct mode)" });
    const call = carrier.calls.get(handle.callId)!;
    const marker = `${handle.callId}`;
    const port = connectDirect(call, { callId: handle.callId, timeline: carrier.timeline, realtimeUrl: stub.url, headers: { [CALIBRATION_HEADER]: marker } });
    const result = await handle.done;
    await (await port)?.close();
    await stub.sync();
    const session = stub.sessions().find((s) => s.headers[CALIBRATION_HEADER] === marker);
    if (!session) return { ok: false, toleranceMs: tolerance, turns: [], reason: "the direct-mode call's Realtime session was not found" };
    const latency = computeCallLatency(result.timeline, result.callId, session, { overheadErrorMs: tolerance });
    return { ...checkCalibration([latency], tolerance, WARM_UP_TURNS), latency };
  } catch (e) {
    return { ok: false, toleranceMs: tolerance, turns: [], reason: `the direct-mode call failed: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await carrier.close().catch(() => undefined);
    await app.close();
  }
}
