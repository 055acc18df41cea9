// A tiny bridge between a Bandwidth call and OpenAI Realtime:
//   POST /voice        Bandwidth's initiate (or answer) webhook → BXML: StartStream + Pause
//   POST /events       the stream's status webhooks (mediaStreamStarted / Stopped / Rejected)
//   WS   /media        Bandwidth's media stream: caller audio (20 ms μ-law frames) goes to the model
//                      as input_audio_buffer.append, the model's audio comes back as playAudio, and
//                      `clear` empties the caller's queue when the caller starts talking over it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";

export interface BridgeOptions {
  /** wss://api.openai.com/v1/realtime in production; bwemu's stub in tests. */
  realtimeUrl: string;
  apiKey?: string;
  model?: string;
  port?: number;
}

export interface Bridge {
  /** The webhook URL to give Bandwidth (the application's CallInitiatedCallbackUrl). */
  url: string;
  close(): Promise<void>;
}

const xmlAttr = (v: string) => v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The answer: stream both ways, and keep the call up while the model talks (Pause, not the end of the document). */
export function answerBxml(mediaUrl: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<Response>",
    `  <StartStream name="agent" mode="bidirectional" destination="${xmlAttr(mediaUrl)}" streamEventUrl="/events"/>`,
    '  <Pause duration="3600"/>',
    "</Response>",
  ].join("\n");
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://bridge").pathname;
      if (req.method === "POST" && path === "/voice") {
        res.writeHead(200, { "content-type": "application/xml" });
        return res.end(answerBxml(`ws://${req.headers.host}/media`));
      }
      if (req.method === "POST" && path === "/events") return res.writeHead(204).end();
      res.writeHead(404).end();
    });
  });
  const media = new WebSocketServer({ server, path: "/media" });
  media.on("connection", (carrier) => relay(carrier, opts));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/voice`,
    close: async () => {
      for (const c of media.clients) c.terminate();
      media.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One call: the carrier's media socket and a Realtime session for it. */
function relay(carrier: WebSocket, opts: BridgeOptions): void {
  const url = new URL(opts.realtimeUrl);
  if (!url.searchParams.has("model")) url.searchParams.set("model", opts.model ?? "gpt-realtime");
  const model = new WebSocket(url, { headers: opts.apiKey ? { Authorization: `Bearer ${opts.apiKey}` } : {}, handshakeTimeout: 10_000 });
  const pending: string[] = [];
  const toModel = (event: object) => {
    const text = JSON.stringify(event);
    if (model.readyState === WebSocket.OPEN) model.send(text);
    else if (model.readyState === WebSocket.CONNECTING && pending.length < 500) pending.push(text);
  };
  const toCarrier = (event: object) => carrier.readyState === WebSocket.OPEN && carrier.send(JSON.stringify(event));

  model.on("open", () => {
    model.send(JSON.stringify({
      type: "session.update",
      session: {
        type: "realtime",
        output_modalities: ["audio"],
        audio: { input: { format: { type: "audio/pcmu" }, turn_detection: { type: "server_vad" } }, output: { format: { type: "audio/pcmu" }, voice: "alloy" } },
        instructions: "You answer the phone for a small bakery. Be brief.",
      },
    }));
    for (const text of pending.splice(0)) model.send(text);
  });
  model.on("message", (data) => {
    const ev = JSON.parse(data.toString()) as { type: string; delta?: string };
    if (ev.type === "response.output_audio.delta" && ev.delta) toCarrier({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: ev.delta } });
    else if (ev.type === "input_audio_buffer.speech_started") toCarrier({ eventType: "clear" });
  });
  model.on("close", () => carrier.close(1000));
  model.on("error", () => carrier.close(1011));

  carrier.on("message", (data) => {
    let frame: { eventType?: string; payload?: string };
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return; // not JSON: nothing to relay
    }
    if (frame.eventType === "media" && frame.payload) toModel({ type: "input_audio_buffer.append", audio: frame.payload });
    else if (frame.eventType === "stop") model.close(1000);
  });
  carrier.on("close", () => model.close(1000));
  carrier.on("error", () => model.terminate());
}
