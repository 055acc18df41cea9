// The carrier's own client framing (client-frames.ts), read by a real `ws` server on loopback: every
// length class of RFC 6455 §5.2, UTF-8 text, several frames in one write, and masking keys that differ.
import { once } from "node:events";
import { createConnection, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { clientMediaFrames, clientTextFrames, mediaFrameLength, type MediaFrameParts } from "../client-frames.js";
import { fillMediaFrame, mediaFrameTemplate } from "../../protocol/media-stream-codec.js";

let server: WebSocketServer | undefined;
let socket: Socket | undefined;
afterEach(async () => {
  socket?.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = socket = undefined;
});

/** A raw TCP client upgraded by hand (the frames are ours, not `ws`'s), and the server's end of it. */
async function connect(): Promise<{ socket: Socket; peer: WebSocket; received: string[] }> {
  server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const received: string[] = [];
  const peer = new Promise<WebSocket>((r) =>
    server!.once("connection", (ws) => {
      ws.on("message", (d, binary) => received.push(binary ? "<binary>" : String(d)));
      r(ws);
    }),
  );
  socket = createConnection(port, "127.0.0.1");
  await once(socket, "connect");
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  const [head] = (await once(socket, "data")) as [Buffer];
  expect(head.toString("latin1")).toMatch(/^HTTP\/1\.1 101 /);
  return { socket, peer: await peer, received };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe("clientTextFrames", () => {
  it("frames text of every length class as masked final text frames a `ws` server reads back exactly", async () => {
    const { socket, received } = await connect();
    const texts = ["", "x", "a".repeat(125), "b".repeat(126), "c".repeat(65535), "d".repeat(65536), '{"eventType":"media","payload":"/w=="}', "héllo ☎ 𝄞"];
    socket.write(clientTextFrames(texts));
    await until(() => received.length === texts.length);
    expect(received).toEqual(texts);
  });

  it("frames ASCII text (the media frames) byte for byte when told it is ASCII, every length class", async () => {
    const { socket, received } = await connect();
    const payload = Buffer.from(Array.from({ length: 160 }, (_, i) => i)).toString("base64");
    const texts = ["", "x", `{"eventType":"media","track":"inbound","payload":"${payload}","sequenceNumber":"7"}`, "e".repeat(126), "f".repeat(65536)];
    const framed = clientTextFrames(texts, true);
    expect(framed.length).toBe(clientTextFrames(texts).length);
    socket.write(framed);
    await until(() => received.length === texts.length);
    expect(received).toEqual(texts);
  });

  it("takes bytes as they are (UTF-8) and text alike, in order, in one buffer", async () => {
    const { socket, received } = await connect();
    socket.write(clientTextFrames([Buffer.from("first ☎", "utf8"), "second", new Uint8Array(Buffer.from("third"))]));
    await until(() => received.length === 3);
    expect(received).toEqual(["first ☎", "second", "third"]);
  });

  it("sets FIN, opcode 1 and the mask bit, with a fresh masking key per frame", () => {
    const b = clientTextFrames(["abcd", "abcd"]);
    expect(b.length).toBe(2 * (2 + 4 + 4));
    expect([b[0], b[1]]).toEqual([0x81, 0x80 | 4]);
    expect([b[10], b[11]]).toEqual([0x81, 0x80 | 4]);
    const key = (at: number) => b.subarray(at + 2, at + 6).toString("hex");
    expect(key(0)).not.toBe(key(10));
    const unmasked = Buffer.from(b.subarray(6, 10).map((v, i) => v ^ b[2 + i]));
    expect(unmasked.toString()).toBe("abcd");
  });
});

describe("clientMediaFrames", () => {
  const templates = [mediaFrameTemplate("inbound", { eventTypeLast: false }), mediaFrameTemplate("outbound", { eventTypeLast: true })];
  // Payloads as bytes of every base64 remainder (0, 1, 2 left over) and as text; sequence numbers of every digit count.
  const bytes = [0, 1, 2, 3, 159, 160, 161, 320].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
  const seqs = [1, 9, 10, 99, 100, 9999, 10000, 99999, 100000, 1234567];
  const text = (p: MediaFrameParts) => fillMediaFrame(p.template, typeof p.payload === "string" ? p.payload : Buffer.from(p.payload).toString("base64"), String(p.sequenceNumber));

  it("writes what fillMediaFrame's text framed by clientTextFrames would be, read back by a real `ws` server", async () => {
    const { socket, received } = await connect();
    const frames: MediaFrameParts[] = [];
    for (const [k, b] of bytes.entries())
      for (const [j, seq] of seqs.entries()) frames.push({ template: templates[(k + j) % 2], payload: (k + j) % 3 === 0 ? Buffer.from(b).toString("base64") : b, sequenceNumber: seq });
    const lengths: number[] = [];
    const framed = clientMediaFrames(frames, lengths);
    const texts = frames.map(text);
    expect(lengths).toEqual(texts.map((t) => t.length));
    expect(frames.map(mediaFrameLength)).toEqual(lengths);
    expect(framed.length).toBe(clientTextFrames(texts, true).length);
    socket.write(framed);
    await until(() => received.length === texts.length);
    expect(received).toEqual(texts);
  });

  it("a frame past 125 and past 65535 bytes gets the longer length forms", async () => {
    const { socket, received } = await connect();
    const frames: MediaFrameParts[] = [70_000, 90].map((n) => ({ template: templates[0], payload: new Uint8Array(n).fill(0xff), sequenceNumber: 3 }));
    socket.write(clientMediaFrames(frames, []));
    await until(() => received.length === 2);
    expect(received).toEqual(frames.map(text));
  });
});
