// The transport-free core on a ManualClock: determinism, session expiry (§9.4), fault injection
// (§13), echo replies, function calls (§8.5), input transcription, idle timeout (§6.1), item
// insertion with client ids (§7.1, §7.2) and PCM16 VAD offsets (§6.3).
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../clock.js";
import { Timeline } from "../../timeline.js";
import { decodeMulaw } from "../../media/mulaw.js";
import { RealtimeSession, type RealtimeSessionOptions } from "../session.js";
import { loadScript, type StubScript } from "../script.js";
import { DEFAULT_VAD } from "../vad.js";
import { GA_PCMU_UPDATE, mulawUtterance, pcm16Utterance } from "./helpers.js";

interface Harness { s: RealtimeSession; out: any[]; closes: { code: number; reason: string; abrupt: boolean }[]; clock: ManualClock; in(ev: unknown): void; audio(bytes: Uint8Array, frame?: number): void }

async function harness(script: StubScript | undefined, extra: Partial<RealtimeSessionOptions> = {}): Promise<Harness> {
  const clock = new ManualClock(1_000_000);
  const out: any[] = [];
  const closes: Harness["closes"] = [];
  const s = new RealtimeSession({
    dialect: "ga", model: "gpt-realtime", clock, script: await loadScript(script), vad: DEFAULT_VAD, seed: 42,
    send: (f) => out.push(JSON.parse(f)),
    close: (code, reason, abrupt) => closes.push({ code, reason, abrupt }),
    ...extra,
  });
  const h: Harness = {
    s, out, closes, clock,
    in: (ev) => {
      const t = JSON.stringify(ev);
      s.receive(t, t.length);
    },
    audio: (bytes, frame = 160) => {
      for (let i = 0; i < bytes.length; i += frame) h.in({ type: "input_audio_buffer.append", audio: Buffer.from(bytes.subarray(i, i + frame)).toString("base64") });
    },
  };
  return h;
}

const SCRIPT: StubScript = { turns: [{ audio: { synth: 300 }, transcript: "a b", responseDelayMs: 250 }] };

describe("determinism", () => {
  it("the same input gives byte-identical output frames", async () => {
    const run = async () => {
      const h = await harness(SCRIPT);
      h.s.start();
      h.in(GA_PCMU_UPDATE);
      h.audio(mulawUtterance(300, 600, 300));
      await h.clock.advanceUs(300_000);
      return h.out;
    };
    const a = await run();
    const b = await run();
    expect(a.map((e) => e.type)).toContain("response.done");
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("think time: first delta exactly responseDelayMs after speech end on the clock; K* recorded", async () => {
    const h = await harness(SCRIPT);
    h.s.start();
    h.in(GA_PCMU_UPDATE);
    h.audio(mulawUtterance(300, 600, 300, 0));
    expect(h.out.some((e) => e.type === "response.output_audio.delta")).toBe(false);
    await h.clock.advanceUs(249_000);
    expect(h.out.some((e) => e.type === "response.output_audio.delta")).toBe(false);
    await h.clock.advanceUs(1_000);
    expect(h.out.some((e) => e.type === "response.output_audio.delta")).toBe(true);
    const t = h.s.record.turns[0];
    expect(t.configuredThinkMs).toBe(450);
    expect(t.sFirstUs! - t.sStoppedUs!).toBe(250_000);
  });
});

describe("session expiry (§9.4)", () => {
  it("sends session_expired then closes 1001 at the configured cap", async () => {
    const h = await harness(undefined, { sessionMaxMs: 90_000 });
    h.s.start();
    expect(h.out[0].session.expires_at).toBe(Math.floor(h.clock.wallNow().getTime() / 1000 + 90));
    await h.clock.advanceUs(89_999_000);
    expect(h.closes).toHaveLength(0);
    await h.clock.advanceUs(1_000);
    const err = h.out.at(-1);
    expect(err.error).toMatchObject({ type: "invalid_request_error", code: "session_expired", message: "Your session hit the maximum duration of 1.5 minutes.".replace("1.5 minutes", "90 seconds") });
    expect(h.closes).toEqual([{ code: 1001, reason: "Your session hit the maximum duration of 90 seconds.", abrupt: false }]);
    expect(h.s.record).toMatchObject({ closedBy: "stub", closeCode: 1001 });
    h.in({ type: "response.create" });
    expect(h.out.at(-1).type).toBe("error"); // nothing after close
  });

  it("default wording at 60 minutes", async () => {
    const h = await harness(undefined);
    h.s.start();
    await h.clock.advanceUs(3600e6);
    expect(h.closes[0].reason).toBe("Your session hit the maximum duration of 60 minutes.");
  });
});

describe("faults (§13)", () => {
  it("delayed session.created queues early frames and processes them in order", async () => {
    const h = await harness(undefined, { faults: [{ kind: "delay-session-created", delayMs: 500 }] });
    h.s.start();
    h.in(GA_PCMU_UPDATE);
    h.in({ type: "conversation.item.create", item: { id: "greet1", type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] } });
    expect(h.out).toHaveLength(0);
    await h.clock.advanceUs(500_000);
    expect(h.out.map((e) => e.type)).toEqual(["session.created", "session.updated", "conversation.item.added", "conversation.item.done"]);
    expect(h.out[2].item.id).toBe("greet1");
  });

  it("error and close at a turn; error at a time; response.done without response.created", async () => {
    const h = await harness(undefined, {
      faults: [
        { kind: "error", atMs: 100, code: "server_error", message: "boom" },
        { kind: "response-done-without-created", atTurn: 1 },
        { kind: "error", atTurn: 2 },
        { kind: "close", atTurn: 2, code: 1011, abrupt: true },
      ],
    });
    h.s.start();
    h.in(GA_PCMU_UPDATE);
    await h.clock.advanceUs(100_000);
    expect(h.out.at(-1).error).toMatchObject({ type: "server_error", code: "server_error", message: "boom", event_id: null });
    h.audio(mulawUtterance(100, 400, 300));
    const types = h.out.map((e) => e.type);
    expect(types).toContain("response.done");
    expect(types).not.toContain("response.created");
    h.audio(mulawUtterance(100, 400, 300, 2));
    expect(h.out.at(-1).type).toBe("error");
    expect(h.closes).toEqual([{ code: 1011, reason: "bwemu injected upstream drop", abrupt: true }]);
    expect(h.out.filter((e) => e.type === "response.done")).toHaveLength(1);
    expect(h.s.record.closedBy).toBe("stub");
  });

  it("faults limited to one session do not fire in another", async () => {
    const h = await harness(undefined, { sessionIndex: 2, faults: [{ kind: "close", atMs: 10, session: 1 }] });
    h.s.start();
    await h.clock.advanceUs(1_000_000);
    expect(h.closes).toHaveLength(0);
  });
});

describe("replies", () => {
  it("echo: the reply is the caller's own turn audio, re-encoded in the output format", async () => {
    const h = await harness({ turns: [{ audio: { echo: true }, transcript: "echo" }] });
    h.s.start();
    h.in(GA_PCMU_UPDATE);
    const caller = mulawUtterance(1000, 500, 300, 0);
    h.audio(caller);
    const deltas = h.out.filter((e) => e.type === "response.output_audio.delta").map((d) => Buffer.from(d.delta, "base64"));
    const reply = Buffer.concat(deltas);
    // speech_started 700 (1000-300) → speech_stopped 1700 (1500+200): 1000 ms = 8000 bytes, same µ-law bytes.
    expect(reply.length).toBe(8000);
    expect(Buffer.compare(reply, Buffer.from(caller.subarray(700 * 8, 1700 * 8)))).toBe(0);
  });

  it("echo with PCM16 output resamples the caller's µ-law audio", async () => {
    const h = await harness({ turns: [{ audio: { echo: true } }] });
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" } } } } });
    h.audio(mulawUtterance(400, 400, 300, 0));
    const bytes = h.out.filter((e) => e.type === "response.output_audio.delta").reduce((s, d) => s + Buffer.from(d.delta, "base64").length, 0);
    expect(bytes).toBe(900 * 48); // 100 (400 − 300 prefix) .. 1000 (800 + 200 silence) ms
  });

  it("function call (§8.5): every event, then an idle session; function_call_output is accepted", async () => {
    const h = await harness({ turns: [{ audio: { none: true }, functionCall: { name: "transfer_call", arguments: { to: "+15551234567", reason: "caller asked for a human" }, callId: "call_0123456789abcdef" } }, { audio: { synth: 200 }, transcript: "Done" }] });
    h.s.start();
    h.in({ ...GA_PCMU_UPDATE, session: { ...GA_PCMU_UPDATE.session, tools: [{ type: "function", name: "transfer_call", description: "x" }], tool_choice: "auto" } });
    h.audio(mulawUtterance(200, 400, 300));
    const types = h.out.map((e) => e.type).filter((t) => t !== "response.function_call_arguments.delta");
    const from = types.indexOf("response.created");
    expect(types.slice(from)).toEqual([
      "response.created", "response.output_item.added", "conversation.item.added", "response.function_call_arguments.done",
      "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
    ]);
    const deltas = h.out.filter((e) => e.type === "response.function_call_arguments.delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((d) => d.call_id === "call_0123456789abcdef")).toBe(true);
    const args = deltas.map((d) => d.delta).join("");
    expect(JSON.parse(args)).toEqual({ to: "+15551234567", reason: "caller asked for a human" });
    const done = h.out.find((e) => e.type === "response.done").response;
    expect(done.output).toEqual([{ id: expect.stringMatching(/^item_/), type: "function_call", status: "completed", call_id: "call_0123456789abcdef", name: "transfer_call", arguments: args }]);
    const n = h.out.length;
    await h.clock.advanceUs(5_000_000);
    expect(h.out.length).toBe(n); // idle
    h.in({ type: "conversation.item.create", item: { type: "function_call_output", call_id: "call_0123456789abcdef", output: "{\"ok\":true}" } });
    h.in({ type: "response.create" });
    expect(h.out.filter((e) => e.type === "response.done")).toHaveLength(2);
    expect(h.out.at(-2).response.output[0].content[0].transcript).toBe("Done");
  });

  it("text modality (§8.6)", async () => {
    const h = await harness({ turns: [{ transcript: "plain text reply" }] });
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", output_modalities: ["text"] } });
    h.in({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] } });
    h.in({ type: "response.create" });
    const types = h.out.map((e) => e.type).filter((t) => t !== "response.output_text.delta");
    expect(types.slice(types.indexOf("response.created"))).toEqual([
      "response.created", "response.output_item.added", "conversation.item.added", "response.content_part.added",
      "response.output_text.done", "response.content_part.done", "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
    ]);
    expect(h.out.find((e) => e.type === "response.output_text.done").text).toBe("plain text reply");
    expect(h.out.find((e) => e.type === "response.output_item.done").item.content).toEqual([{ type: "output_text", text: "plain text reply" }]);
  });

  it("input transcription events when configured", async () => {
    const h = await harness({ turns: [{ audio: { synth: 100 }, callerTranscript: "I need help" }] });
    h.s.start();
    h.in({ ...GA_PCMU_UPDATE, session: { ...GA_PCMU_UPDATE.session, audio: { ...GA_PCMU_UPDATE.session.audio, input: { ...GA_PCMU_UPDATE.session.audio.input, transcription: { model: "gpt-4o-mini-transcribe" } } } } });
    h.audio(mulawUtterance(200, 400, 300));
    const done = h.out.find((e) => e.type === "conversation.item.input_audio_transcription.completed");
    expect(done).toMatchObject({ transcript: "I need help", content_index: 0, usage: { type: "duration" } });
    expect(done.item_id).toBe(h.out.find((e) => e.type === "input_audio_buffer.committed").item_id);
  });

  it("idle timeout (§6.1): timeout_triggered, commit and a response", async () => {
    const h = await harness({ turns: [{ audio: { synth: 500 } }] });
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad", idle_timeout_ms: 2000 } }, output: { format: { type: "audio/pcmu" } } } } });
    h.audio(mulawUtterance(200, 400, 300));
    expect(h.out.filter((e) => e.type === "response.done")).toHaveLength(1);
    // Playback (500 ms) + 2000 ms, measured from the first delta.
    await h.clock.advanceUs(2_499_000);
    expect(h.out.some((e) => e.type === "input_audio_buffer.timeout_triggered")).toBe(false);
    await h.clock.advanceUs(1_000);
    const types = h.out.map((e) => e.type);
    const i = types.indexOf("input_audio_buffer.timeout_triggered");
    expect(types.slice(i, i + 5)).toEqual(["input_audio_buffer.timeout_triggered", "input_audio_buffer.committed", "conversation.item.added", "conversation.item.done", "response.created"]);
  });
});

describe("items (§7.2)", () => {
  it("client ids are echoed; root insertion; delete; retrieve with audio", async () => {
    const h = await harness(undefined);
    h.s.start();
    const item = (id: string) => ({ id, type: "message", role: "user", content: [{ type: "input_text", text: id }] });
    h.in({ type: "conversation.item.create", item: item("0123456789abcdef0123456789abcdef") });
    h.in({ type: "conversation.item.create", item: item("second") });
    h.in({ type: "conversation.item.create", previous_item_id: "root", item: item("first") });
    h.in({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_audio", audio: Buffer.alloc(4800).toString("base64") }] } });
    const added = h.out.filter((e) => e.type === "conversation.item.added");
    expect(added.map((a) => [a.item.id.slice(0, 6), a.previous_item_id?.slice(0, 6) ?? null])).toEqual([
      ["012345", null], ["second", "012345"], ["first", null], [added[3].item.id.slice(0, 6), "second"],
    ]);
    expect(added[3].item.content).toEqual([{ type: "input_audio", transcript: null }]);
    h.in({ type: "conversation.item.retrieve", item_id: added[3].item.id });
    expect(h.out.at(-1).item.content[0].audio).toBe(Buffer.alloc(4800).toString("base64"));
    h.in({ type: "conversation.item.delete", item_id: "second" });
    expect(h.out.at(-1)).toMatchObject({ type: "conversation.item.deleted", item_id: "second" });
    h.in({ type: "conversation.item.create", item: item("first") });
    expect(h.out.at(-1).error).toMatchObject({ param: "item.id" });
  });

  it("PCM16 24 kHz input: offsets by bytes/48 (§6.3), arbitrary append sizes", async () => {
    const h = await harness(undefined);
    h.s.start();
    h.audio(pcm16Utterance(1000, 1500, 400, 0), 2400 * 2 + 2); // 50 ms + 1 sample per append
    const st = h.out.find((e) => e.type === "input_audio_buffer.speech_started");
    const sp = h.out.find((e) => e.type === "input_audio_buffer.speech_stopped");
    expect(st.audio_start_ms).toBe(700);
    expect(sp.audio_end_ms).toBe(2700);
  });

  it("timeline: stub events on lane stub, appends summarised", async () => {
    const tl = new Timeline(new ManualClock());
    const h = await harness(undefined, { timeline: tl });
    h.s.start();
    h.in(GA_PCMU_UPDATE);
    h.audio(mulawUtterance(100, 300, 300));
    const evs = tl.of("stub.event");
    expect(evs.every((e) => e.lane === "stub")).toBe(true);
    expect(evs.find((e) => e.data.type === "input_audio_buffer.append")!.data).toMatchObject({ direction: "in", bytes: expect.any(Number) });
    expect(tl.of("stub.turn")).toHaveLength(1);
    expect(tl.of("stub.session")[0].data.phase).toBe("open");
  });
});

describe("VAD settings", () => {
  it("silence default 500 option and a digital-silence µ-law check", async () => {
    const h = await harness(undefined, { vad: { ...DEFAULT_VAD, defaultSilenceDurationMs: 500 } });
    h.s.start();
    expect(h.out[0].session.audio.input.turn_detection.silence_duration_ms).toBe(500);
    h.in(GA_PCMU_UPDATE);
    expect(h.out[1].session.audio.input.turn_detection.silence_duration_ms).toBe(500);
    h.audio(mulawUtterance(100, 300, 600, 0));
    expect(h.out.find((e) => e.type === "input_audio_buffer.speech_stopped").audio_end_ms).toBe(900);
    expect(decodeMulaw(new Uint8Array([0xff, 0x7f]))).toEqual(new Int16Array([0, 0]));
  });
});

describe("more session rules", () => {
  it("A-law input: VAD offsets by bytes/8 (§5.1)", async () => {
    const { encodeAlaw, ALAW_SILENCE } = await import("../../media/alaw.js");
    const { tone } = await import("./helpers.js");
    const h = await harness(undefined);
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcma" } } } } });
    const speech = encodeAlaw(tone(600, 8000));
    const audio = new Uint8Array(500 * 8 + speech.length + 400 * 8).fill(ALAW_SILENCE);
    audio.set(speech, 500 * 8);
    h.audio(audio);
    expect(h.out.find((e) => e.type === "input_audio_buffer.speech_started").audio_start_ms).toBe(200);
    expect(h.out.find((e) => e.type === "input_audio_buffer.speech_stopped").audio_end_ms).toBe(1300);
    expect(h.s.record.inputFormat).toBe("pcma");
  });

  it("semantic_vad uses the configured hangover per eagerness (§6.4)", async () => {
    const h = await harness(undefined, { vad: { ...DEFAULT_VAD, semanticHangoverMs: { high: 350 } } });
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "semantic_vad", eagerness: "high" } } } } });
    expect(h.out[1].session.audio.input.turn_detection).toEqual({ type: "semantic_vad", eagerness: "high", create_response: true, interrupt_response: true });
    h.audio(mulawUtterance(400, 500, 500, 0));
    expect(h.out.find((e) => e.type === "input_audio_buffer.speech_stopped").audio_end_ms).toBe(1250);
    expect(h.s.record.turns[0].configuredThinkMs).toBe(350);
  });

  it("voice fixed after the first audio; tracing fixed once enabled (§4.1); beta refuses GA fields", async () => {
    const h = await harness({ turns: [{ audio: { synth: 100 } }] });
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", tracing: "auto", audio: { output: { voice: "marin" } } } });
    expect(h.out.at(-1).session).toMatchObject({ tracing: "auto", audio: { output: { voice: "marin" } } });
    h.in({ type: "session.update", session: { type: "realtime", tracing: null } });
    expect(h.out.at(-1).error).toMatchObject({ param: "session.tracing" });
    h.in({ type: "response.create" });
    h.in({ type: "session.update", event_id: "v", session: { type: "realtime", audio: { output: { voice: "ash" } } } });
    expect(h.out.at(-1).error).toMatchObject({ code: "invalid_value", param: "session.audio.output.voice", event_id: "v" });
    const b = await harness(undefined, { dialect: "beta" });
    b.s.start();
    b.in({ type: "session.update", session: { type: "realtime", audio: {} } });
    expect(b.out.at(-1).error).toMatchObject({ code: "unknown_parameter", param: "session.type" });
    b.in({ type: "session.update", session: { input_audio_format: "audio/pcmu" } });
    expect(b.out.at(-1).error).toMatchObject({ code: "invalid_value", param: "session.input_audio_format" });
    b.in({ type: "transcription_session.update", session: {} });
    expect(b.out.at(-1).error.code).toBe("invalid_value");
  });
});

describe("frame limits (§10)", () => {
  it("never sends a server frame over 1 MiB: session.updated with huge instructions becomes an error", async () => {
    const h = await harness(undefined);
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", instructions: "é".repeat(600_000) } });
    const last = h.out.at(-1);
    expect(last.type).toBe("error");
    expect(last.error.message).toContain("session.updated exceeds");
    expect(h.s.record.errors).toHaveLength(1);
  });

  it("retrieve of a long PCM16 item omits the audio instead of exceeding the limit", async () => {
    const h = await harness(undefined);
    h.s.start();
    h.in({ type: "session.update", session: { type: "realtime", audio: { input: { turn_detection: null } } } });
    h.audio(new Uint8Array(48 * 20_000), 48_000); // 20 s of PCM16 = 960 kB
    h.in({ type: "input_audio_buffer.commit" });
    const id = h.out.find((e) => e.type === "input_audio_buffer.committed").item_id;
    h.in({ type: "conversation.item.retrieve", item_id: id });
    expect(h.out.at(-1)).toMatchObject({ type: "conversation.item.retrieved", item: { id, content: [{ type: "input_audio", audio: null }] } });
  });
});
