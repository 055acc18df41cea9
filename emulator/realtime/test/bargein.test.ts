// Barge-in (spec §8.3 case A), `response.cancel`, and `conversation.item.truncate` checks (§7.2, §11.3 #7).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startRealtimeStub, type RealtimeStub } from "../server.js";
import { appendAll, Client, GA_PCMU_UPDATE, GA_RESPONSE_CLOSE, mulawUtterance } from "./helpers.js";

let stub: RealtimeStub;
beforeEach(async () => {
  stub = await startRealtimeStub({
    script: { turns: [{ audio: { synth: 3000 }, transcript: "one two three four five six seven eight nine ten", pacing: "realtime", deltaMs: 100 }] },
  });
});
afterEach(async () => {
  await stub.close();
});

describe("barge-in during a response (§8.3)", () => {
  it("cancels with closing .done events, response.done cancelled/turn_detected, then answers the new turn", async () => {
    const c = await Client.connect(stub.url);
    c.send(GA_PCMU_UPDATE);
    appendAll(c, mulawUtterance(200, 500, 300, 0));
    await c.waitFor("response.output_audio.delta", 3);
    appendAll(c, mulawUtterance(0, 400, 300, 0));
    await c.waitFor("response.done", 1);
    const types = c.types();
    const i = types.lastIndexOf("input_audio_buffer.speech_started");
    const after = types.slice(i).filter((t) => !t.endsWith(".delta"));
    expect(after.slice(0, 7)).toEqual(["input_audio_buffer.speech_started", ...GA_RESPONSE_CLOSE]);
    const done = c.of("response.done")[0].response;
    expect(done.status).toBe("cancelled");
    expect(done.status_details).toEqual({ type: "cancelled", reason: "turn_detected" });
    expect(done.output[0].status).toBe("incomplete");
    const A = c.of("response.output_item.added")[0].item.id;
    const sentWords = c.of("response.output_audio_transcript.delta").filter((d) => d.item_id === A).map((d) => d.delta).join("");
    expect(c.of("response.output_audio_transcript.done")[0].transcript).toBe(sentWords);
    // No deltas for the cancelled response after its response.done.
    const doneAt = types.indexOf("response.done");
    expect(c.events.slice(doneAt).some((e) => e.type === "response.output_audio.delta" && e.item_id === A)).toBe(false);

    // Truncate checks against what was sent (§7.2).
    const sentMs = c.of("response.output_audio.delta").filter((d) => d.item_id === A).reduce((s, d) => s + Buffer.from(d.delta, "base64").length, 0) / 8;
    c.send({ type: "conversation.item.truncate", event_id: "t1", item_id: A, content_index: 0, audio_end_ms: sentMs + 1000 });
    const err = await c.waitFor("error");
    expect(err.error).toMatchObject({ code: "invalid_value", param: "audio_end_ms", event_id: "t1", message: `Audio content of ${sentMs}ms is already shorter than ${sentMs + 1000}ms` });
    const U = c.of("input_audio_buffer.committed")[0].item_id;
    c.send({ type: "conversation.item.truncate", item_id: U, content_index: 0, audio_end_ms: 0 });
    await c.waitFor("error", 2);
    c.send({ type: "conversation.item.truncate", item_id: null, content_index: 0, audio_end_ms: 0 });
    await c.waitFor("error", 3);
    c.send({ type: "conversation.item.truncate", item_id: A, content_index: 0, audio_end_ms: 150 });
    const tr = await c.waitFor("conversation.item.truncated");
    expect(tr).toMatchObject({ item_id: A, content_index: 0, audio_end_ms: 150 });
    // The second turn gets its own response.
    await c.waitFor("response.created", 2);
    c.send({ type: "response.cancel", event_id: "cx" });
    const d2 = await c.waitFor("response.done", 2);
    expect(d2.response.status_details).toEqual({ type: "cancelled", reason: "client_cancelled" });
    // Retrieve shows the truncated audio (150 ms µ-law = 1200 bytes) and no transcript.
    c.send({ type: "conversation.item.retrieve", item_id: A });
    const r = await c.waitFor("conversation.item.retrieved");
    expect(Buffer.from(r.item.content[0].audio, "base64").length).toBe(1200);
    expect(r.item.content[0].transcript).toBe("");

    const rec = stub.sessions()[0];
    expect(rec.turns.map((t) => [t.index, t.cancelled, t.bargeIn])).toEqual([[1, true, false], [2, true, true]]);
    expect(rec.turns[0].audioBytesSent).toBe(sentMs * 8);
    expect(rec.truncates.map((t) => t.accepted)).toEqual([false, false, true]);
    expect(rec.truncates[2]).toMatchObject({ itemId: A, audioEndMs: 150 });
    expect(c.closed).toBeUndefined();
    await c.close();
  });

  it("interrupt_response false: speech during a reply does not cancel it", async () => {
    const c = await Client.connect(stub.url);
    c.send({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad", interrupt_response: false } }, output: { format: { type: "audio/pcmu" } } } } });
    appendAll(c, mulawUtterance(200, 400, 300, 0));
    await c.waitFor("response.output_audio.delta", 2);
    appendAll(c, mulawUtterance(0, 300, 300, 0));
    await c.waitFor("input_audio_buffer.speech_stopped", 2);
    c.send({ type: "response.cancel" }); // ends the first reply early; the queued turn is answered next
    const d1 = await c.waitFor("response.done");
    expect(d1.response.status_details.reason).toBe("client_cancelled");
    await c.waitFor("response.created", 2);
    expect(stub.sessions()[0].turns[1].bargeIn).toBe(true);
    await c.close();
  });
});
