// The official `openai` npm package's Realtime WebSocket client (openai/realtime/ws, OpenAIRealtimeWS)
// pointed at the stub completes a session with a voice turn (issue 4). The SDK forces `wss` (§2.5),
// so the stub serves TLS with the test CA.
import { afterAll, beforeAll, expect, it } from "vitest";
import OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { startRealtimeStub, type RealtimeStub } from "../server.js";
import { testTls } from "../tls.js";
import { mulawUtterance } from "./helpers.js";

let stub: RealtimeStub;
const tls = testTls();
beforeAll(async () => {
  stub = await startRealtimeStub({ tls, script: { turns: [{ audio: { synth: 700 }, transcript: "Hello from the stub" }] } });
});
afterAll(async () => {
  await stub.close();
});

it("OpenAIRealtimeWS: session.update, appends, audio deltas and response.done", async () => {
  expect(stub.url.startsWith("wss://127.0.0.1:")).toBe(true);
  const client = new OpenAI({ apiKey: "sk-test-NOT-A-KEY", baseURL: stub.url.replace(/^wss/, "https").replace(/\/realtime$/, "") });
  const rt = new OpenAIRealtimeWS({ model: "gpt-realtime", options: { ca: tls.ca } }, client);
  const seen: string[] = [];
  const errors: unknown[] = [];
  let audioBytes = 0;
  rt.on("error", (e) => errors.push(e));
  rt.on("event", (e) => seen.push(e.type));
  rt.on("response.output_audio.delta", (e) => {
    audioBytes += Buffer.from(e.delta, "base64").length;
  });
  const done = new Promise<any>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no response.done; saw ${seen.join(", ")}`)), 15_000);
    rt.on("response.done", (e) => {
      clearTimeout(t);
      resolve(e);
    });
  });
  await new Promise<void>((resolve, reject) => {
    rt.socket.once("open", () => resolve());
    rt.socket.once("error", reject);
  });
  rt.send({
    type: "session.update",
    session: {
      type: "realtime", model: "gpt-realtime", output_modalities: ["audio"],
      audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad" } }, output: { format: { type: "audio/pcmu" }, voice: "alloy" } },
    },
  });
  const audio = mulawUtterance(400, 800, 400);
  for (let i = 0; i < audio.length; i += 160) rt.send({ type: "input_audio_buffer.append", audio: Buffer.from(audio.subarray(i, i + 160)).toString("base64") });
  const ev = await done;
  expect(ev.response.status).toBe("completed");
  expect(audioBytes).toBe(700 * 8);
  expect(seen.slice(0, 2)).toEqual(["session.created", "session.updated"]);
  expect(seen).toContain("input_audio_buffer.speech_stopped");
  expect(errors).toEqual([]);
  rt.close({ code: 1000, reason: "bye" });
  const rec = await stub.waitForSession((s) => s.closedUs !== undefined, 5000);
  expect(rec).toMatchObject({ closedBy: "client", closeCode: 1000, dialect: "ga", model: "gpt-realtime" });
  expect(rec.headers.authorization).toBe("Bearer [redacted]");
});
