// A deliberately broken bridge for the cross-talk tests: it answers every call with a bidirectional
// StartStream and echoes each stream's caller audio, but to the WRONG stream: the streams are paired
// in the order they connect (1st with 2nd, 3rd with 4th, …) and each one's audio is played on its
// partner's socket, the shared-state bug of a bridge that keys its sessions badly. A stream whose
// partner has not connected (or has gone) hears nothing.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";

export interface CrossedApp {
  url: string;
  close(): Promise<void>;
}

/** Audio is sent on in chunks of this many 20 ms frames (a bridge relays a model's reply in chunks). */
const CHUNK_FRAMES = 10;

export async function startCrossedApp(): Promise<CrossedApp> {
  const streams: WebSocket[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const { port } = server.address() as AddressInfo;
      res.writeHead(200, { "content-type": "application/xml" }).end(
        `<?xml version="1.0" encoding="UTF-8"?><Response><StartStream name="crossed" mode="bidirectional" destination="ws://127.0.0.1:${port}/media"/><Pause duration="60"/></Response>`,
      );
    });
  });
  server.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws)));
  wss.on("connection", (ws) => {
    const me = streams.push(ws) - 1;
    const partner = (): WebSocket | undefined => streams[me ^ 1];
    let chunk: Buffer[] = [];
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let m: { eventType?: string; track?: string; payload?: string };
      try {
        m = JSON.parse(data.toString());
      } catch {
        return;
      }
      const payload = m.payload;
      if (m.eventType !== "media" || m.track === "outbound" || typeof payload !== "string") return;
      chunk.push(Buffer.from(payload, "base64"));
      if (chunk.length < CHUNK_FRAMES) return;
      const to = partner();
      if (to?.readyState === WebSocket.OPEN) to.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: Buffer.concat(chunk).toString("base64") } }));
      chunk = [];
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/voice`,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
