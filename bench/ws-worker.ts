// A loopback ws server on a worker thread (its own event loop, like a bridge in its own process), so
// the bench's process does only the carrier's side. `onConnection` is the body of a function of
// `ws` (a ws WebSocket), as JavaScript source: it runs in the worker.

import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { WebSocket } from "ws";
import { aggregate } from "../emulator/latency/index.js";

export async function withWsWorker<T>(onConnection: string, fn: (port: number) => Promise<T>): Promise<T> {
  const wsPath = createRequire(import.meta.url).resolve("ws");
  const code = `
    const { parentPort } = require("node:worker_threads");
    const { WebSocketServer } = require(${JSON.stringify(wsPath)});
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    wss.on("listening", () => parentPort.postMessage(wss.address().port));
    wss.on("connection", (ws) => { ${onConnection} });
    parentPort.on("message", () => { for (const c of wss.clients) c.terminate(); wss.close(() => process.exit(0)); });
  `;
  const worker = new Worker(code, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("ws worker did not start")), 10_000);
    worker.once("message", (p: number) => (clearTimeout(t), resolve(p)));
    worker.once("error", (e) => (clearTimeout(t), reject(e)));
  });
  try {
    return await fn(port);
  } finally {
    worker.postMessage("stop");
    await Promise.race([new Promise((r) => worker.once("exit", r)), new Promise((r) => setTimeout(r, 5_000))]);
    await worker.terminate();
  }
}

/**
 * Round trips of `frame` over an open client `ws`, one every 20 ms (the media grid), each waiting for
 * the next message back: p50 / p99 / max in ms. `heldMs`: how long the far side held the frame before
 * answering, read from its answer (subtracted: what is left is the two hops).
 */
export async function pacedRoundTripsMs(ws: WebSocket, frame: string, frames: number, label: string, heldMs?: (answer: string) => number): Promise<{ p50: number; p99: number; max: number }> {
  const rtts: number[] = [];
  for (let i = 0; i < frames; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const back = new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${label}: no echo within 5 s`)), 5_000);
      ws.once("message", (d) => (clearTimeout(t), resolve(String(d))));
    });
    const t0 = performance.now();
    ws.send(frame);
    const answer = await back;
    rtts.push(performance.now() - t0 - (heldMs ? heldMs(answer) : 0));
  }
  const a = aggregate(rtts);
  return { p50: a.p50!, p99: a.p99!, max: a.max! };
}
