// The msw transport (msw@2 ws.link): a client using the global WebSocket (here the openai SDK's browser
// client, OpenAIRealtimeWebSocket) reaches the stub at wss://api.openai.com/v1/realtime, no network.
// Node 20 has no global WebSocket without --experimental-websocket, so the test installs the `ws` class
// as the global before msw patches it (see msw.ts for where interception does and does not apply).
import { afterAll, beforeAll, expect, it } from "vitest";
import { WebSocket as WsWebSocket } from "ws";
import { setupServer } from "msw/node";
import { realtimeStubHandler, type MswRealtimeStub } from "../msw.js";
import { mulawUtterance } from "./helpers.js";

let stub: MswRealtimeStub;
let server: ReturnType<typeof setupServer>;
const g = globalThis as { WebSocket?: unknown };
const hadGlobal = g.WebSocket !== undefined;

beforeAll(async () => {
  if (!hadGlobal) g.WebSocket = WsWebSocket;
  stub = await realtimeStubHandler({ script: { turns: [{ audio: { synth: 500 }, transcript: "intercepted" }] } });
  server = setupServer(stub.handler);
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(async () => {
  await stub.close();
  server.close();
  if (!hadGlobal) delete g.WebSocket;
});

function collect(socket: { addEventListener(t: string, f: (e: any) => void): void }) {
  const events: any[] = [];
  socket.addEventListener("message", (e) => events.push(JSON.parse(String(e.data))));
  const until = async (pred: () => boolean, what: string) => {
    const end = Date.now() + 8000;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timeout: ${what}; got ${events.map((e) => e.type).join(", ")}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { events, until };
}

it("a global-WebSocket client completes a voice turn against the intercepted endpoint", async () => {
  const { default: OpenAI } = await import("openai");
  const { OpenAIRealtimeWebSocket } = await import("openai/realtime/websocket");
  const client = new OpenAI({ apiKey: "sk-test-SECRET" });
  const rt = new OpenAIRealtimeWebSocket({ model: "gpt-realtime" }, client);
  expect(rt.url.toString()).toBe("wss://api.openai.com/v1/realtime?model=gpt-realtime");
  const errors: unknown[] = [];
  rt.on("error", (e) => errors.push(e));
  const { events, until } = collect(rt.socket);
  await until(() => events.some((e) => e.type === "session.created"), "session.created");
  rt.send({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" } }, output: { format: { type: "audio/pcmu" } } } } });
  const audio = mulawUtterance(300, 600, 300);
  for (let i = 0; i < audio.length; i += 160) rt.send({ type: "input_audio_buffer.append", audio: Buffer.from(audio.subarray(i, i + 160)).toString("base64") });
  await until(() => events.some((e) => e.type === "response.done"), "response.done");
  const bytes = events.filter((e) => e.type === "response.output_audio.delta").reduce((s, e) => s + Buffer.from(e.delta, "base64").length, 0);
  expect(bytes).toBe(4000);
  expect(errors).toEqual([]);
  const rec = stub.sessions()[0];
  expect(rec).toMatchObject({ dialect: "ga", model: "gpt-realtime", inputFormat: "pcmu" });
  expect(JSON.stringify(rec.headers)).not.toContain("SECRET");
  rt.close({ code: 1000, reason: "done" });
  await stub.waitForSession((s) => s.closedUs !== undefined, 5000);
  expect(rec.closedBy).toBe("client");
});

it("Node's own global WebSocket (undici) is intercepted too (child process)", async () => {
  const { spawn } = await import("node:child_process");
  const path = await import("node:path");
  const major = Number(process.versions.node.split(".")[0]);
  const args = [...(major < 22 ? ["--experimental-websocket"] : []), "--no-warnings", "--import", "tsx", path.join(import.meta.dirname, "msw-global-child.ts")];
  const child = spawn(process.execPath, args, { cwd: path.resolve(import.meta.dirname, "../../.."), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => {
    const t = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.on("exit", (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
  expect(code, out).toBe(0);
  const r = JSON.parse(out.trim().split("\n").at(-1)!);
  expect(r.global).toBe("function");
  expect(r.types[0]).toBe("session.created");
  expect(r.types.at(-2)).toBe("response.done");
}, 60_000);

it("the beta subprotocol selects the beta dialect", async () => {
  const WS = globalThis.WebSocket as unknown as new (u: string, p: string[]) => any;
  const sock = new WS("wss://api.openai.com/v1/realtime?model=gpt-4o-realtime-preview", ["realtime", "openai-insecure-api-key.sk-x", "openai-beta.realtime-v1"]);
  const { events, until } = collect(sock);
  await until(() => events.length > 0, "session.created");
  expect(events[0].session.modalities).toEqual(["audio", "text"]);
  expect(stub.sessions()[1].dialect).toBe("beta");
  sock.close();
});
