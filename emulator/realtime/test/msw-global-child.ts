// Child process for msw.test.ts: the stub behind msw with Node's own global WebSocket (undici; on
// Node 20 behind --experimental-websocket). Prints the non-delta event types of a greeting response.
import { setupServer } from "msw/node";
import { realtimeStubHandler } from "../msw.js";

const stub = await realtimeStubHandler({ script: { turns: [{ audio: { synth: 200 }, transcript: "hi" }] } });
const server = setupServer(stub.handler);
server.listen();
const ws = new WebSocket("wss://api.openai.com/v1/realtime?model=gpt-realtime", ["realtime"]);
const got: string[] = [];
const timer = setTimeout(() => {
  console.log(JSON.stringify({ error: "timeout", got }));
  process.exit(1);
}, 10_000);
ws.addEventListener("message", (e) => {
  got.push(JSON.parse(String(e.data)).type);
  if (got.length === 1) ws.send(JSON.stringify({ type: "response.create" }));
  if (got.includes("rate_limits.updated")) {
    clearTimeout(timer);
    console.log(JSON.stringify({ global: typeof WebSocket, types: got.filter((t) => !t.endsWith(".delta")) }));
    ws.close();
    server.close();
  }
});
