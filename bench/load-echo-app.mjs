// The echo app of bench/load.bench.ts, as a process of its own (its CPU is not the harness's): an
// initiate webhook answering BXML that streams both tracks bidirectionally and keeps the call open,
// and a media WebSocket that echoes every inbound `media` payload back as `playAudio`. The bare
// pacer and bwemu talk to the same app. Prints its port on stdout.
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const { port } = server.address();
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Response><StartStream name="echo" mode="bidirectional" tracks="both" destination="ws://127.0.0.1:${port}/stream"/><StopStream name="echo" wait="true"/></Response>`,
    );
  });
});
const wss = new WebSocketServer({ server, path: "/stream" });
wss.on("connection", (ws) => {
  ws.on("message", (data) => {
    const text = String(data);
    if (!text.includes('"inbound"')) return;
    const f = JSON.parse(text);
    if (f.eventType === "media" && f.track === "inbound") ws.send(`{"eventType":"playAudio","media":{"contentType":"audio/pcmu","payload":${JSON.stringify(f.payload)}}}`);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.on("SIGTERM", () => process.exit(0));
