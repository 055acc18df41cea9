// Cases over small recorded calls (suites/recorded.ts): the preconditions the runner resolves from
// each case's `requires`, and the checks whose judgement changed with the upstream mode, audible
// agent speech and bwemu's own call limit.
import { describe, expect, it } from "vitest";
import { encodeMulaw } from "../emulator/media/mulaw.js";
import { tone } from "../emulator/media/synth.js";
import { Timeline } from "../emulator/timeline.js";
import { judge, loadCases } from "./runner.js";
import { observation, recordObservation, recordedContext, type RecordedCall, type RecordedEvent, type RecordedRun } from "./recorded.js";
import { REQUIREMENTS, UPSTREAM_SKIP } from "./preconditions.js";
import { callLimitReason } from "./observe.js";
import { signatureHz } from "./signatures.js";
import type { ConformanceCase, UpstreamMode } from "./types.js";

const cases = new Map((await loadCases()).map((c) => [c.id, c]));
const byId = (id: string): ConformanceCase => cases.get(id)!;
const judgeIn = (id: string, run: RecordedRun) => judge(byId(id), recordedContext(run));

const WS = "ws://127.0.0.1:9/media";
const doc = (attrs = "", mode = "bidirectional") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <StartStream name="s" mode="${mode}" destination="${WS}" ${attrs}/>\n  <StopStream name="s" wait="true"/>\n</Response>\n`;
const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const pcm16 = (p: Int16Array) => Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString("base64");

/** A call whose bidirectional stream connected and started; `more` events follow (t in µs). */
function streamed(more: RecordedEvent[] = [], extra: Partial<RecordedCall> = {}): RecordedCall {
  return {
    documents: [doc('streamEventUrl="/events"')],
    events: [
      { kind: "stream.connect", data: { streamId: "s-1", name: "s", destination: WS, ok: true, authorization: "none" }, t: 1_000_000 },
      { kind: "ws.frame", data: { streamId: "s-1", direction: "out", eventType: "start", bytes: 200 }, t: 1_010_000 },
      ...more,
    ],
    ...extra,
  };
}

/** A playAudio frame and the carrier's record of it (`silent` when its audio was silence). */
const play = (t: number, silent = false): RecordedEvent[] => [
  { kind: "ws.frame", data: { streamId: "s-1", direction: "in", eventType: "playAudio", bytes: 300 }, t },
  { kind: "audio.queued", data: { streamId: "s-1", contentType: "audio/pcmu", samples8k: 800, durationMs: 100, ...(silent ? { silent: true as const } : {}) }, t: t + 10 },
];
const utterance = (index: number, phase: "start" | "end", t: number, bargeIn?: boolean): RecordedEvent => ({
  kind: "caller.utterance",
  data: { index, phase, frame: t / 20_000, ...(bargeIn === undefined ? {} : { bargeIn }) },
  t,
});

describe("preconditions: declared as data, resolved by the runner", () => {
  it("every requirement a case names is in the registry", () => {
    for (const c of cases.values()) for (const r of c.requires ?? []) expect(Object.keys(REQUIREMENTS), `${c.id} requires ${r}`).toContain(r);
  });

  it("no call → a harness error, before any requirement", () => {
    const v = judgeIn("audio.down.shape", { runs: { basic: { calls: [], harnessError: "the carrier did not start" } } });
    expect(v.verdict).toBe("error");
    expect(v.outcome.message).toContain("the carrier did not start");
  });

  it("startStream: no <StartStream> in a usable answer is the bridge's profile; no usable answer is a failure", () => {
    const noStream = judgeIn("answer.bxml.secure-destination", { runs: { basic: [{ documents: ['<Response><Pause duration="5"/></Response>'] }] } });
    expect(noStream.verdict).toBe("unimplemented");
    const garbage = judgeIn("answer.bxml.secure-destination", { runs: { basic: [{ documents: ["502 Bad Gateway"], errorMessage: "not BXML" }] } });
    expect(garbage.verdict).toBe("non-strict"); // a SHOULD case's failure
    expect(garbage.outcome.observed).toContain("no usable BXML answer");
  });

  it("bxml: an answer that is not well-formed BXML fails the cases that read the document, naming why", () => {
    for (const id of ["answer.bxml.has-stream", "answer.bxml.keepalive", "answer.relative-urls"]) {
      const v = judgeIn(id, { runs: { basic: [{ documents: ["502 Bad Gateway"], errorMessage: "not BXML" }] } });
      expect(v.verdict, id).toBe("fail");
      expect(v.outcome.observed, id).toBe("no parsable document: not BXML");
    }
  });

  it("resilience.burst-media compares frame by frame only on μ-law input, and judges like audio.up.integrity", () => {
    const run = (inputFormat: string, appended: Uint8Array): RecordedRun => ({
      runs: { "burst-media": [{ ...streamed(), streams: [{ streamId: "s-1", name: "s", destination: WS, mode: "bidirectional", tracks: "inbound", inboundPcmu: b64(frames) }], sessions: [{ inputFormat, appendedAudio: b64(appended) }] }] },
    });
    const frames = encodeMulaw(tone(440, 200, 8000, 0.3));
    expect(judgeIn("resilience.burst-media", run("audio/pcm", frames)).verdict).toBe("skipped");
    expect(judgeIn("resilience.burst-media", run("audio/pcmu", frames)).verdict).toBe("pass");
    expect(judgeIn("resilience.burst-media", run("audio/pcmu", Uint8Array.from([...frames.subarray(0, 480), ...frames.subarray(640)]))).outcome.observed).toMatch(/dropped 1/);
  });

  it("stream: an answer whose WebSocket never connected fails, naming the connect error", () => {
    const v = judgeIn("stream.stop.closes-socket", {
      runs: { basic: [{ documents: [doc()], events: [{ kind: "stream.connect", data: { streamId: "s-1", name: "s", destination: WS, ok: false, error: "ECONNREFUSED" } }] }] },
    });
    expect(v.verdict).toBe("fail");
    expect(v.outcome.observed).toBe("connect failed: ECONNREFUSED");
  });

  it("bidirectional: a unidirectional stream sends nothing back, so the audio-back cases are unimplemented", () => {
    const v = judgeIn("audio.down.shape", { runs: { basic: [{ ...streamed(), documents: [doc("", "unidirectional")] }] } });
    expect(v.verdict).toBe("unimplemented");
    expect(v.outcome.message).toMatch(/unidirectional/);
  });

  it("streamEventUrl: without it the stream-event cases are skipped", () => {
    const v = judgeIn("events.started.accepted", { runs: { basic: [{ ...streamed(), documents: [doc()] }] } });
    expect(v).toMatchObject({ verdict: "skipped", outcome: { message: "no streamEventUrl: the bridge is never told" } });
  });

  it("against: every case's second scenario is one it declares, and the runner resolves it before the check", () => {
    const comparing = [...cases.values()].filter((c) => c.against !== undefined);
    expect(comparing.map((c) => c.id).sort()).toEqual(["answer.auth.basic", "stream.start.key-order"]);
    for (const c of comparing) expect(c.scenarios, c.id).toContain(c.against);
    const v = judgeIn("stream.start.key-order", { runs: { basic: [streamed()] } });
    expect(v).toMatchObject({ verdict: "error", outcome: { message: "scenario key-order-natural was not run" } });
    const w = judgeIn("stream.start.key-order", { runs: { basic: [streamed()], "key-order-natural": { calls: [], harnessError: "the carrier did not start" } } });
    expect(w).toMatchObject({ verdict: "error", outcome: { message: "scenario key-order-natural: the carrier did not start" } });
  });

  it("callbackAuth: answer.auth.basic is skipped when the run sends no credentials", () => {
    expect(judgeIn("answer.auth.basic", { runs: { basic: [streamed()] } }).verdict).toBe("skipped");
  });

  it.each(["live", "opaque"] as UpstreamMode[])("stub and session: with a %s upstream the stub-side cases are skipped with the mode's reason", (mode) => {
    for (const id of ["audio.up.integrity", "audio.down.integrity", "bargein.truncate", "stream.stop.upstream-closed", "latency.bridge-overhead"]) {
      const run: RecordedRun = { settings: { realtime: mode }, runs: { [byId(id).scenarios[0]]: [streamed()] } };
      const v = judgeIn(id, run);
      expect(v.verdict, id).toBe("skipped");
      expect(v.outcome.message, id).toBe(UPSTREAM_SKIP[mode as "live" | "opaque"]);
    }
  });

  it("session: against the stub, a bridge that opened no Realtime session fails", () => {
    const v = judgeIn("audio.up.integrity", { runs: { basic: [streamed()] } });
    expect(v.verdict).toBe("fail");
    expect(v.outcome.observed).toBe("no Realtime session was opened");
  });
});

describe("agent speech is what the caller heard, not the silence a bot streams", () => {
  // Utterance 0 ends at 2 s; the bot streams silence, speaks from 2.4 s; the barge-in starts at 2.8 s.
  const bargeCall = (afterClear: RecordedEvent[]) =>
    streamed([
      utterance(0, "start", 1_500_000),
      ...play(1_900_000, true),
      utterance(0, "end", 2_000_000),
      ...play(2_100_000, true),
      ...play(2_400_000),
      utterance(1, "start", 2_800_000, true),
      { kind: "ws.frame", data: { streamId: "s-1", direction: "in", eventType: "clear", bytes: 20 }, t: 2_900_000 },
      ...afterClear,
      utterance(1, "end", 3_600_000, true),
      ...play(4_100_000),
    ]);

  it("bargein.clear measures from the reply's first speech, not from streamed silence", () => {
    const v = judgeIn("bargein.clear", { settings: { realtime: "opaque" }, runs: { bargein: [bargeCall([])] } });
    expect(v.verdict).toBe("pass");
    expect(v.outcome.metrics?.clearMs).toBe(100);
  });

  it("bargein.no-stale-audio: silence after clear is not stale; speech before the barge-in utterance ends is (no stub: the carrier's bound)", () => {
    expect(judgeIn("bargein.no-stale-audio", { settings: { realtime: "opaque" }, runs: { bargein: [bargeCall(play(3_000_000, true))] } }).verdict).toBe("pass");
    const stale = judgeIn("bargein.no-stale-audio", { settings: { realtime: "opaque" }, runs: { bargein: [bargeCall(play(3_000_000))] } });
    expect(stale.verdict).toBe("fail");
    expect(stale.outcome.observed).toMatch(/1 playAudio message\(s\) of the old reply, first 100 ms after clear/);
  });
});

describe("resilience.concurrent-isolation judges the part of each call where audio was played", () => {
  /** Call i heard `hz`'s tone for 1.2 s inside `silenceMs` of streamed digital silence on each side. */
  const heard = (hz: number, silenceMs: number, greeting: Int16Array = new Int16Array(0)): RecordedCall => {
    const reply = Int16Array.from([...new Int16Array(silenceMs * 8), ...tone(hz, 1200, 8000, 0.3), ...new Int16Array(silenceMs * 8)]);
    const ms = reply.length / 8;
    const run = (t: number, len: number): RecordedEvent[] => [
      { kind: "audio.play", data: { streamId: "s-1", durationMs: len }, t },
      { kind: "audio.drained", data: { streamId: "s-1", playedMs: len }, t: t + len * 1000 },
    ];
    return streamed([...(greeting.length ? run(1_020_000, greeting.length / 8) : []), utterance(0, "start", 1_500_000), ...run(3_000_000, ms)], {
      streams: [{ streamId: "s-1", name: "s", destination: WS, mode: "bidirectional", tracks: "inbound", playedPcm: pcm16(Int16Array.from([...greeting, ...reply])) }],
    });
  };
  const run = (calls: RecordedCall[], realtime: UpstreamMode = "stub"): RecordedRun => ({ settings: { realtime }, runs: { concurrent: calls } });

  it("a reply inside 20 s of streamed silence each side is still judged (the fixed middle window held only silence)", () => {
    const v = judgeIn("resilience.concurrent-isolation", run([0, 1, 2].map((i) => heard(signatureHz(i), 20_000))));
    expect(v.verdict).toBe("pass");
    expect(v.outcome.metrics?.calls).toBe(3);
  });

  it("a greeting played before the caller spoke is not the reply", () => {
    const greeting = tone(122, 400, 8000, 0.5); // louder than the replies, over before the caller speaks
    const v = judgeIn("resilience.concurrent-isolation", run([0, 1].map((i) => heard(signatureHz(i), 100, greeting))));
    expect(v.verdict).toBe("pass");
  });

  it("crosstalk fails in every mode", () => {
    for (const mode of ["stub", "opaque"] as UpstreamMode[]) {
      const v = judgeIn("resilience.concurrent-isolation", run([heard(signatureHz(0), 500), heard(signatureHz(0), 500)], mode));
      expect(v.verdict, mode).toBe("fail");
      expect(v.outcome.observed, mode).toContain("= call 0's audio");
    }
  });

  it("opaque: a bot that does not echo cannot be judged by signature (skipped), where the stub's echo must come back", () => {
    const silent = [heard(signatureHz(0), 500), heard(signatureHz(1), 500)].map((c) => ({ ...c, streams: [{ ...c.streams![0], playedPcm: pcm16(new Int16Array(8000)) }] }));
    expect(judgeIn("resilience.concurrent-isolation", run(silent, "opaque")).verdict).toBe("skipped");
    expect(judgeIn("resilience.concurrent-isolation", run(silent, "stub")).verdict).toBe("fail");
  });
});

describe("bwemu's own call limit never reads as the bridge's failure", () => {
  const limited = (phase: "gate" | "speak" | "done"): RecordedCall =>
    streamed([
      utterance(0, "start", 1_500_000),
      utterance(0, "end", 2_000_000),
      ...play(2_400_000),
      utterance(1, "start", 2_800_000, true),
      { kind: "call.limit", data: { limit: "duration", ms: 30_000, caller: { phase, utterance: 1 } }, t: 31_000_000 },
    ]);

  it("names what the caller was doing when the limit ended the call", () => {
    const { call } = observation(limited("gate"));
    expect(callLimitReason(call)).toBe(`bwemu's call limit (30 s, timeouts.callMs) ended call ${call.callId} while the caller was still waiting for the agent to stop speaking before utterance 2`);
    expect(callLimitReason(observation(limited("done")).call)).toBeUndefined(); // the script was over: the data is whole
    expect(callLimitReason(observation(limited("speak")).call)).toBeUndefined(); // merely longer than the limit: judged on what was recorded
  });

  it("a case that would fail on a limited scenario is an error naming the limit", () => {
    const reason = callLimitReason(observation(limited("gate")).call)!;
    const v = judgeIn("bargein.clear", { runs: { bargein: { calls: [limited("gate")], limited: reason } } });
    expect(v.verdict).toBe("error");
    expect(v.outcome.message).toContain("not judged: bwemu's call limit (30 s, timeouts.callMs)");
  });
});

describe("recorded runs", () => {
  it("a real observation written and read back judges the same", () => {
    const timeline = new Timeline();
    const original = observation(streamed(play(2_000_000)));
    for (const e of original.call.timeline.events) timeline.append(e.kind, e.data as never, { t: e.t, callId: original.call.callId });
    const inbound = encodeMulaw(tone(440, 200, 8000, 0.3));
    const rec = recordObservation({ call: { ...original.call, timeline, streams: [{ streamId: "s-1", name: "s", destination: WS, mode: "bidirectional", tracks: "inbound", inboundPcm: tone(440, 200, 8000, 0.3), inboundPcmu: inbound, playedPcm: new Int16Array(0) }] }, sessions: [] });
    const back = JSON.parse(JSON.stringify(rec)) as RecordedCall;
    expect(back.streams![0].inboundPcmu).toBe(b64(inbound));
    const a = judgeIn("audio.down.shape", { runs: { basic: [streamed(play(2_000_000))] } });
    const b = judgeIn("audio.down.shape", { runs: { basic: [back] } });
    expect(b.verdict).toBe(a.verdict);
    expect(b.outcome.message).toBe(a.outcome.message);
    expect(observation(back).call.streams[0].inboundPcm).toEqual(tone(440, 200, 8000, 0.3));
  });
});
