// Direct mode for a whole call (`bwemu call --direct`): with no bridge there is no app to answer, so
// bwemu serves a built-in one. Its BXML only keeps the call up (`<Pause>` for the call's maximum
// duration, bandwidth.md §2.8); once the call is answered, the call's media clock is connected to the
// Realtime endpoint by `attachDirect`, as Bandwidth's native OpenAI integration does. The timeline
// therefore shows an ordinary initiate → BXML → answered call, then the `direct.*` events.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { StreamPort } from "../stream/call-audio.js";
import { attachDirect, type DirectRealtimePort, type DirectSessionOptions } from "./realtime-port.js";

/** The built-in answer: hold the call open for `seconds` (0.1–86400, the Pause limits). */
export function holdBxml(seconds: number): string {
  const s = Math.min(86_400, Math.max(0.1, Math.ceil(seconds)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Pause duration="${s}"/>\n</Response>\n`;
}

export interface DirectAnswerApp {
  /** http://127.0.0.1:PORT/direct: the initiate URL to place the call to. */
  url: string;
  close(): Promise<void>;
}

/** A loopback app that answers every webhook: initiate with `holdBxml`, anything else 204. */
export async function startDirectAnswerApp(holdSeconds: number): Promise<DirectAnswerApp> {
  const body = holdBxml(holdSeconds);
  const server = createServer((req, res) => {
    req.resume();
    if ((req.url ?? "").split("?")[0] === "/direct") res.writeHead(200, { "content-type": "application/xml" }).end(body);
    else res.writeHead(204).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/direct`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** What connectDirect needs of a call (emulator/call/call.ts `Call`). */
export interface DirectCall {
  whenAnswered(): Promise<void>;
  whenEnded(): Promise<void>;
  getAudio(): Promise<{ attach(s: StreamPort): void; detach(s: StreamPort): void; notePlayAudio(s: StreamPort, speech: boolean): void }>;
}

/**
 * Once the call is answered, start its media clock and connect it to the Realtime endpoint; the
 * session closes when the call ends. Resolves with the port (undefined if the call ended first).
 */
export async function connectDirect(call: DirectCall, opts: Omit<DirectSessionOptions, "onPlayAudio">): Promise<DirectRealtimePort | undefined> {
  let ended = false;
  const endedP = call.whenEnded().then(() => {
    ended = true;
  });
  await Promise.race([call.whenAnswered(), endedP]);
  if (ended) return undefined;
  const audio = await call.getAudio();
  const port = attachDirect(audio, opts);
  void endedP.then(() => port.close());
  return port;
}
