// Client mistakes (spec §9): exactly one `error` with the §9.2 shape and code, `error.event_id` echoing
// the client's event_id, no other answer, state unchanged, socket open, the stub never crashes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRealtimeStub, type RealtimeStub } from "../server.js";
import { appendAll, Client, GA_PCMU_UPDATE, mulawUtterance } from "./helpers.js";

let stub: RealtimeStub;
beforeAll(async () => {
  stub = await startRealtimeStub({ script: { turns: [{ audio: { synth: 400 }, transcript: "ok", responseDelayMs: 300 }] } });
});
afterAll(async () => {
  await stub.close();
});

/** Send `frame`, expect exactly one new event, an `error`; return its `error` object. */
async function oneError(c: Client, frame: string | Buffer | Record<string, unknown>): Promise<Record<string, any>> {
  const before = c.events.length;
  if (typeof frame === "string" || Buffer.isBuffer(frame)) c.sendRaw(frame);
  else c.send(frame);
  // A sentinel that always answers proves nothing else came for the bad frame.
  c.send({ type: "input_audio_buffer.clear" });
  await c.until((x) => x.events.slice(before).some((e) => e.type === "input_audio_buffer.cleared"), 15_000, "sentinel");
  const got = c.events.slice(before);
  expect(got.map((e) => e.type)).toEqual(["error", "input_audio_buffer.cleared"]);
  expect(got[0].error.type).toBe("invalid_request_error");
  return got[0].error;
}

describe("errors keep the socket open (§9.1)", () => {
  it("non-JSON, non-object, unknown type, missing and mistyped fields", async () => {
    const c = await Client.connect(stub.url);
    await c.waitFor("session.created");
    expect(await oneError(c, "{not json")).toMatchObject({ code: "invalid_value", param: null, event_id: null });
    expect(await oneError(c, "[1,2]")).toMatchObject({ code: "invalid_value" });
    expect(await oneError(c, { type: "response.content.done", event_id: "e1" })).toMatchObject({ code: "invalid_value", param: "type", event_id: "e1" });
    expect(await oneError(c, { event_id: "e2" })).toMatchObject({ code: "missing_required_parameter", param: "type", event_id: "e2" });
    expect(await oneError(c, { type: "input_audio_buffer.append", event_id: "e3" })).toMatchObject({ code: "missing_required_parameter", param: "audio", event_id: "e3" });
    expect(await oneError(c, { type: "input_audio_buffer.append", audio: "***notbase64" })).toMatchObject({ code: "invalid_value", param: "audio" });
    expect(await oneError(c, { type: "conversation.item.truncate", item_id: "x", content_index: 0 })).toMatchObject({ code: "missing_required_parameter", param: "audio_end_ms" });
    expect(await oneError(c, { type: "conversation.item.truncate", item_id: "x", content_index: 0, audio_end_ms: 1.5 })).toMatchObject({ param: "audio_end_ms" });
    expect(await oneError(c, { type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "output_text", text: "x" }] } })).toMatchObject({ param: "item.content[0].type" });
    expect(await oneError(c, { type: "conversation.item.create", item: { type: "function_call_output", call_id: "call_nope", output: "{}" } })).toMatchObject({ param: "item.call_id" });
    expect(await oneError(c, { type: "conversation.item.create", previous_item_id: "item_missing", item: { type: "message", role: "user", content: [{ type: "input_text", text: "x" }] } })).toMatchObject({ param: "previous_item_id" });
    expect(await oneError(c, { type: "conversation.item.retrieve", item_id: "item_missing" })).toMatchObject({ code: "invalid_value", param: "item_id" });
    expect(await oneError(c, { type: "conversation.item.delete", item_id: "item_missing" })).toMatchObject({ code: "invalid_value", param: "item_id" });
    expect(await oneError(c, { type: "output_audio_buffer.clear" })).toMatchObject({ code: "invalid_value" });
    expect(await oneError(c, { type: "response.create", response: { metadata: { k: 5 } } })).toMatchObject({ param: "response.metadata.k" });
    expect(await oneError(c, { type: "response.create", response: { modalities: ["audio"] } })).toMatchObject({ code: "unknown_parameter", param: "response.modalities" });
    expect(await oneError(c, Buffer.from([1, 2, 3]))).toMatchObject({ code: "invalid_value" });
    expect(c.closed).toBeUndefined();
    const rec = stub.sessions().at(-1)!;
    expect(rec.errors.length).toBe(17);
    await c.close();
  });

  it("GA session.update rules (§4.1): refused updates change nothing", async () => {
    const c = await Client.connect(stub.url);
    await c.waitFor("session.created");
    expect(await oneError(c, { type: "session.update", event_id: "u1", session: { audio: { input: { format: { type: "audio/pcmu" } } } } }))
      .toMatchObject({ code: "missing_required_parameter", param: "session.type", message: "Missing required parameter: 'session.type'.", event_id: "u1" });
    expect(await oneError(c, { type: "session.update", session: { type: "realtime", input_audio_format: "g711_ulaw" } }))
      .toMatchObject({ code: "unknown_parameter", param: "session.input_audio_format" });
    expect(await oneError(c, { type: "session.update", session: { type: "realtime", audio: { input: { input_audio_noise_reduction: { type: "near_field" } } } } }))
      .toMatchObject({ code: "unknown_parameter", param: "session.audio.input.input_audio_noise_reduction" });
    expect(await oneError(c, { type: "session.update", session: { type: "session" } })).toMatchObject({ code: "invalid_value", param: "session.type" });
    expect(await oneError(c, { type: "session.update", session: { type: "realtime", audio: { output: { format: { type: "audio/wav" } } } } }))
      .toMatchObject({ code: "invalid_value", param: "session.audio.output.format.type" });
    expect(await oneError(c, { type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcm", rate: 16000 } } } } }))
      .toMatchObject({ param: "session.audio.input.format.rate" });
    expect(await oneError(c, { type: "session.update", session: { type: "realtime", output_modalities: ["audio", "text"] } })).toMatchObject({ param: "session.output_modalities" });
    expect(await oneError(c, { type: "session.update", session: { type: "transcription" } })).toMatchObject({ param: "session.type" });
    // Nothing changed; a good update deep-merges and fills turn detection defaults.
    c.send(GA_PCMU_UPDATE);
    const upd = await c.waitFor("session.updated");
    expect(upd.session.audio.input.format).toEqual({ type: "audio/pcmu" });
    expect(upd.session.audio.input.turn_detection).toEqual({ type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200, idle_timeout_ms: null, create_response: true, interrupt_response: true });
    expect(upd.session.audio.output).toEqual({ format: { type: "audio/pcmu" }, voice: "alloy", speed: 1 });
    expect(upd.session.id).toBe(c.of("session.created")[0].session.id);
    expect(upd.event_id).not.toBe(undefined);
    c.send({ type: "session.update", session: { type: "realtime", audio: { output: { speed: 1.2 } } } });
    const upd2 = await c.waitFor("session.updated", 2);
    expect(upd2.session.audio.output).toEqual({ format: { type: "audio/pcmu" }, voice: "alloy", speed: 1.2 });
    expect(stub.sessions().at(-1)!.sessionUpdates.length).toBe(10);
    await c.close();
  });

  it("commit empty, cancel without response, active response (§9.2)", async () => {
    const c = await Client.connect(stub.url);
    await c.waitFor("session.created");
    const e1 = await oneError(c, { type: "input_audio_buffer.commit", event_id: "c1" });
    expect(e1).toMatchObject({ code: "input_audio_buffer_commit_empty", event_id: "c1" });
    expect(e1.message).toContain("buffer only has 0.00ms of audio");
    c.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(480).toString("base64") }); // 10 ms PCM16
    expect((await oneError(c, { type: "input_audio_buffer.commit" })).message).toContain("10.00ms");
    expect(await oneError(c, { type: "response.cancel", event_id: "x1" })).toMatchObject({ code: "response_cancel_not_active", message: "Cancellation failed: no active response found", event_id: "x1" });
    c.send({ type: "response.create" });
    const created = await c.waitFor("response.created");
    const e = await oneError(c, { type: "response.create", event_id: "r2" });
    expect(e).toMatchObject({ code: "conversation_already_has_active_response", event_id: "r2" });
    expect(e.message).toContain(created.response.id);
    // Out-of-band responses may run in parallel (§10 concurrency).
    c.send({ type: "response.create", response: { conversation: "none", metadata: { topic: "oob" } } });
    await c.until((x) => x.of("response.done").length === 2, 8000, "two responses");
    const oob = c.of("response.done").find((d) => d.response.metadata?.topic === "oob")!;
    expect(oob.response.conversation_id).toBeNull();
    expect(c.of("conversation.item.added").filter((a) => a.item.role === "assistant")).toHaveLength(1);
    await c.close();
  });

  it("oversized frames and appends: errors, never a crash (§10)", async () => {
    const c = await Client.connect(stub.url);
    c.send(GA_PCMU_UPDATE);
    await c.waitFor("session.updated");
    // 16 MiB of audio (a 21.3 MiB frame): accepted as a frame, refused as an append over 15 MiB.
    const big = Buffer.alloc(16 * 1024 * 1024, 0xff).toString("base64");
    expect(await oneError(c, { type: "input_audio_buffer.append", event_id: "big", audio: big })).toMatchObject({ param: "audio", event_id: "big" });
    // 20 MiB of audio (a 26.7 MiB frame): over the frame cap.
    const huge = Buffer.alloc(20 * 1024 * 1024, 0xff).toString("base64");
    const e = await oneError(c, { type: "input_audio_buffer.append", event_id: "huge", audio: huge });
    expect(e).toMatchObject({ code: "invalid_value", event_id: "huge" });
    expect(e.message).toContain("exceeds the maximum");
    // 14 MiB is accepted (no answer to an append) and counted on the input timeline.
    c.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(14 * 1024 * 1024, 0xff).toString("base64") });
    c.send({ type: "input_audio_buffer.commit" });
    await c.waitFor("input_audio_buffer.committed", 1, 20_000);
    expect(c.closed).toBeUndefined();
    expect(stub.sessions().at(-1)!.appendCount).toBe(1);
    await c.close();
  }, 60_000);

  it("PCM16 appends with odd byte counts and µ-law bytes declared as PCM16 never crash", async () => {
    const c = await Client.connect(stub.url);
    await c.waitFor("session.created");
    for (let i = 0; i < 30; i++) c.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(481, i % 2 ? 0x7f : 0xff).toString("base64") });
    appendAll(c, mulawUtterance(0, 300, 0), 161);
    c.send({ type: "input_audio_buffer.commit" });
    await c.waitFor("input_audio_buffer.committed");
    expect(c.of("error")).toHaveLength(0);
    await c.close();
  });
});
