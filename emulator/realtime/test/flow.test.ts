// Event order of a voice turn (spec §8.1 GA, §8.2 beta), the greeting flow (§8.4), manual turns
// (§6.2, §8.4) and VAD offsets (§6.3), against the real ws transport on loopback.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startRealtimeStub, type RealtimeStub } from "../server.js";
import { isServerEventType } from "../../protocol/realtime.js";
import { appendAll, BETA_PCMU_UPDATE, Client, GA_PCMU_UPDATE, GA_RESPONSE_CLOSE, mulawUtterance } from "./helpers.js";

let stub: RealtimeStub;
const clients: Client[] = [];
async function connect(opts?: Parameters<typeof Client.connect>[1]): Promise<Client> {
  const c = await Client.connect(stub.url, opts);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  stub = await startRealtimeStub({ script: { turns: [{ audio: { synth: 600 }, transcript: "Hi there caller" }] } });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => {});
  await stub.close();
});

/** The §8.1 sequence from speech_started to rate_limits.updated, with deltas collapsed. */
function collapse(types: string[]): string[] {
  const out: string[] = [];
  for (const t of types) if (out[out.length - 1] !== t || !t.endsWith(".delta")) out.push(t);
  return out;
}

describe("GA voice turn (§8.1)", () => {
  it("produces the documented order, offsets and item ids", async () => {
    const c = await connect();
    c.send(GA_PCMU_UPDATE);
    appendAll(c, mulawUtterance(1000, 1500, 600, 0));
    await c.waitFor("rate_limits.updated");
    const types = c.types();
    expect(types[0]).toBe("session.created");
    expect(types[1]).toBe("session.updated");
    const turn = collapse(types.slice(2).filter((t) => t !== "response.output_audio_transcript.delta" && t !== "response.output_audio.delta"));
    expect(turn).toEqual([
      "input_audio_buffer.speech_started",
      "input_audio_buffer.speech_stopped",
      "input_audio_buffer.committed",
      "conversation.item.added",
      "conversation.item.done",
      "response.created",
      "response.output_item.added",
      "conversation.item.added",
      "response.content_part.added",
      ...GA_RESPONSE_CLOSE,
      "rate_limits.updated",
    ]);
    // Transcript delta precedes the first audio delta (§5.3).
    const firstT = types.indexOf("response.output_audio_transcript.delta");
    const firstA = types.indexOf("response.output_audio.delta");
    expect(firstT).toBeGreaterThan(0);
    expect(firstT).toBeLessThan(firstA);
    // §6.3 worked example: 1000 ms silence, 1500 ms speech → 700 / 2700 (prefix 300, silence 200).
    const started = c.of("input_audio_buffer.speech_started")[0];
    const stopped = c.of("input_audio_buffer.speech_stopped")[0];
    expect(started.audio_start_ms).toBe(700);
    expect(stopped.audio_end_ms).toBe(2700);
    const U = started.item_id;
    expect(stopped.item_id).toBe(U);
    expect(c.of("input_audio_buffer.committed")[0]).toMatchObject({ item_id: U, previous_item_id: null });
    expect(c.of("conversation.item.added")[0].item).toMatchObject({ id: U, role: "user", status: "completed", content: [{ type: "input_audio", transcript: null }] });
    const A = c.of("response.output_item.added")[0].item.id;
    expect(c.of("conversation.item.added")[1]).toMatchObject({ previous_item_id: U, item: { id: A, role: "assistant", status: "in_progress", content: [] } });
    // µ-law out: 600 ms = 4800 bytes in 100 ms (800-byte) deltas.
    const deltas = c.of("response.output_audio.delta").map((d) => Buffer.from(d.delta, "base64"));
    expect(deltas.length).toBe(6);
    expect(deltas.every((d) => d.length === 800)).toBe(true);
    const done = c.of("response.done")[0].response;
    expect(done).toMatchObject({ object: "realtime.response", status: "completed", status_details: null, metadata: null });
    expect(done.output[0]).toMatchObject({ id: A, status: "completed", content: [{ type: "output_audio", transcript: "Hi there caller" }] });
    expect(done.usage.output_token_details.audio_tokens).toBe(12);
    // Every server event has an event_id; GA never sends beta names (§3.2, §11.2 pipecat).
    expect(c.events.every((e) => typeof e.event_id === "string" && e.event_id.startsWith("event_"))).toBe(true);
    expect(types.some((t) => t === "conversation.item.created" || t.startsWith("response.audio"))).toBe(false);
    expect(types.filter((t) => !isServerEventType(t, "ga"))).toEqual([]);
    // Record: §12.3.2 stamps in order.
    const rec = stub.sessions()[0];
    const t = rec.turns[0];
    expect(t).toMatchObject({ index: 1, itemId: U, responseId: done.id, configuredThinkMs: 200, cancelled: false, audioBytesSent: 4800, bargeIn: false });
    expect(t.sOnUs! <= t.sStartedUs! && t.sStartedUs! <= t.sEndUs! && t.sEndUs! <= t.sStoppedUs! && t.sStoppedUs! <= t.sFirstUs!).toBe(true);
    expect(rec.inputFormat).toBe("pcmu");
    expect(rec.outputFormat).toBe("pcmu");
    expect(rec.appendedAudio().length).toBe(3100 * 8);
    expect(Buffer.from(rec.sentAudio()).equals(Buffer.concat(deltas))).toBe(true);
    expect(rec.appendCount).toBe(155);
    expect(rec.headers.authorization).toBe("Bearer [redacted]");
    expect(JSON.stringify(rec)).not.toContain("SECRET");
  });
});

describe("beta voice turn (§8.2)", () => {
  it("uses beta names and order", async () => {
    const c = await connect({ headers: { "OpenAI-Beta": "realtime=v1" }, query: "?model=gpt-4o-realtime-preview-2024-12-17" });
    c.send(BETA_PCMU_UPDATE);
    appendAll(c, mulawUtterance(500, 800, 400));
    await c.waitFor("response.done");
    const types = collapse(c.types().filter((t) => !t.endsWith(".delta")));
    expect(types).toEqual([
      "session.created",
      "session.updated",
      "input_audio_buffer.speech_started",
      "input_audio_buffer.speech_stopped",
      "input_audio_buffer.committed",
      "conversation.item.created",
      "response.created",
      "rate_limits.updated",
      "response.output_item.added",
      "conversation.item.created",
      "response.content_part.added",
      "response.audio.done",
      "response.audio_transcript.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.done",
    ]);
    expect(c.of("session.created")[0].session).toMatchObject({ model: "gpt-4o-realtime-preview-2024-12-17", input_audio_format: "pcm16", modalities: ["audio", "text"] });
    expect(c.of("session.updated")[0].session).toMatchObject({ input_audio_format: "g711_ulaw", output_audio_format: "g711_ulaw", turn_detection: { type: "server_vad", silence_duration_ms: 200 } });
    expect(c.of("response.audio.delta").length).toBeGreaterThan(0);
    expect(c.types().filter((t) => !isServerEventType(t, "beta"))).toEqual([]);
    expect(stub.sessions()[0].dialect).toBe("beta");
  });

  it("selects the beta dialect from the browser subprotocol and echoes `realtime` (§2.3)", async () => {
    const c = await connect({ protocols: ["realtime", "openai-insecure-api-key.sk-abc", "openai-beta.realtime-v1"] });
    expect(c.ws.protocol).toBe("realtime");
    await c.waitFor("session.created");
    const rec = stub.sessions()[0];
    expect(rec.dialect).toBe("beta");
    expect(rec.headers["sec-websocket-protocol"]).not.toContain("sk-abc");
  });

  it("rejects beta like live with rejectBeta (§1.3)", async () => {
    await stub.close();
    stub = await startRealtimeStub({ rejectBeta: true });
    const c = await connect({ headers: { "OpenAI-Beta": "realtime=v1" } });
    await c.until((x) => x.closed !== undefined);
    expect(c.types()).toEqual(["error"]);
    expect(c.events[0].error).toMatchObject({ type: "invalid_request_error", code: "beta_api_shape_disabled" });
    expect(c.closed!.code).toBe(4000);
    expect(stub.sessions()[0]).toMatchObject({ closedBy: "stub", closeCode: 4000 });
  });
});

describe("greeting (§8.4)", () => {
  it("applies the update before the greeting response and records turn 0", async () => {
    await stub.close();
    stub = await startRealtimeStub({ script: { greeting: { audio: { synth: 300 }, transcript: "Welcome" }, turns: [{ audio: { synth: 200 } }] } });
    const c = await connect();
    // BW-OAI sends these three without waiting for anything (§11.2).
    c.send(GA_PCMU_UPDATE);
    c.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "Greet the user" }] } });
    c.send({ type: "response.create" });
    await c.waitFor("response.done");
    const types = collapse(c.types().filter((t) => !t.endsWith(".delta")));
    expect(types.slice(0, 5)).toEqual(["session.created", "session.updated", "conversation.item.added", "conversation.item.done", "response.created"]);
    // pcmu output as configured: 300 ms = 2400 bytes.
    const bytes = c.of("response.output_audio.delta").reduce((s, d) => s + Buffer.from(d.delta, "base64").length, 0);
    expect(bytes).toBe(2400);
    expect(c.of("response.output_audio_transcript.done")[0].transcript).toBe("Welcome");
    const turn = stub.sessions()[0].turns[0];
    expect(turn).toMatchObject({ index: 0, kind: "greeting", cancelled: false, audioBytesSent: 2400 });
    expect(turn.itemId).toBe(c.of("response.output_item.added")[0].item.id);
    expect(turn.sFirstUs).toBeGreaterThan(0);
  });
});

describe("manual turns (§6.2, §8.4)", () => {
  it("turn_detection null: no speech events; commit + response.create", async () => {
    const c = await connect();
    c.send({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: null } } } });
    appendAll(c, mulawUtterance(200, 500, 200));
    c.send({ type: "input_audio_buffer.commit" });
    await c.waitFor("conversation.item.done");
    expect(c.of("input_audio_buffer.speech_started")).toHaveLength(0);
    expect(c.of("response.created")).toHaveLength(0);
    c.send({ type: "response.create", response: { metadata: { client_event_id: "abc" } } });
    await c.waitFor("response.done");
    expect(c.of("response.created")[0].response.metadata).toEqual({ client_event_id: "abc" });
    expect(c.of("response.done")[0].response.metadata).toEqual({ client_event_id: "abc" });
    expect(c.of("session.updated")[0].session.audio.input.turn_detection).toBeNull();
    const rec = stub.sessions()[0];
    expect(rec.turns[0]).toMatchObject({ index: 1, kind: "manual", audioStartMs: 0, audioEndMs: 900 });
    // Output stays PCM16 (not configured): 600 ms synth → 28800 bytes.
    expect(rec.turns[0].audioBytesSent).toBe(600 * 48);
  });

  it("create_response false: speech events and commit, then the client's response.create answers the turn", async () => {
    const c = await connect();
    c.send({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad", create_response: false } } } } });
    appendAll(c, mulawUtterance(300, 400, 300));
    await c.waitFor("conversation.item.done");
    expect(c.of("response.created")).toHaveLength(0);
    c.send({ type: "response.create" });
    await c.waitFor("response.done");
    expect(stub.sessions()[0].turns[0].responseId).toBe(c.of("response.done")[0].response.id);
  });
});
