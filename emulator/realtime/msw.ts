// The stub mounted on msw's WebSocket interception (msw@2 `ws.link`), so code under test that opens
// `wss://api.openai.com/v1/realtime` with the *global* `WebSocket` reaches the stub with no URL change
// and no network (issue 4; ARCHITECTURE "Integration surfaces").
//
// Where it works: any client that constructs `globalThis.WebSocket`: browsers, Node ≥ 22, Node 20 with
// `--experimental-websocket` (undici), or Node 20 after assigning a WebSocket class to the global before
// msw starts; the openai SDK's browser client `OpenAIRealtimeWebSocket` (openai/realtime/websocket).
// Where it does NOT: clients that import the `ws` package directly (the SDK's `OpenAIRealtimeWS`, most
// Node bridges) or use Python/Go clients. msw patches only the global, so those must use the `ws` server
// transport (`startRealtimeStub`) and a configurable URL (or TLS + DNS redirection, tls/README.md).
//
// Differences from the `ws` transport: the WebSocket API carries no request headers, so the dialect
// comes from the subprotocol only (`openai-beta.realtime-v1`), and `headers` in the record is empty.

import { ws, type WebSocketLink } from "msw";
import type { RealtimeStub, StubOptions } from "./server.js";
import { dialectOf, SessionHub } from "./server.js";
import { loadScript } from "./script.js";
import type { RealtimeSession } from "./session.js";

export const OPENAI_REALTIME_URL = "wss://api.openai.com/v1/realtime";

export interface MswRealtimeStub extends Omit<RealtimeStub, "url"> {
  /** The msw handler: pass to `setupServer(...)` / `setupWorker(...)` or `server.use(...)`. */
  handler: ReturnType<WebSocketLink["addEventListener"]>;
  link: WebSocketLink;
  /** The intercepted URL. */
  url: string;
}

/** Build the msw handler for the stub. `url` defaults to the live endpoint. Closing ends every session. */
export async function realtimeStubHandler(opts: StubOptions & { url?: string } = {}): Promise<MswRealtimeStub> {
  const url = opts.url ?? OPENAI_REALTIME_URL;
  const hub = new SessionHub(opts, await loadScript(opts.script));
  const link = ws.link(url);
  const open = new Set<{ session: RealtimeSession }>();
  const handler = link.addEventListener("connection", ({ client, info }) => {
    const protocols = info.protocols === undefined ? [] : Array.isArray(info.protocols) ? info.protocols : [info.protocols];
    const model = new URL(client.url.toString()).searchParams.get("model");
    const entry = { session: undefined as unknown as RealtimeSession };
    const session = hub.open({
      model,
      dialect: dialectOf({}, protocols),
      headers: protocols.length ? { "sec-websocket-protocol": protocols.map((p) => (p.startsWith("openai-insecure-api-key.") ? "openai-insecure-api-key.[redacted]" : p)).join(", ") } : {},
      send: (frame) => {
        try {
          client.send(frame);
        } catch {
          // The page or test already closed the socket; the close event ends the session.
        }
      },
      close: (code, reason) => {
        // msw's mock socket has no TCP to reset: an abrupt drop is a close with the same code.
        open.delete(entry);
        try {
          client.close(code, reason);
        } catch {
          client.close();
        }
      },
    });
    entry.session = session;
    open.add(entry);
    client.addEventListener("message", (event) => {
      const data = event.data as unknown;
      if (typeof data === "string") hub.receive(session, data, Buffer.byteLength(data), false);
      else {
        const size = data instanceof ArrayBuffer ? data.byteLength : ArrayBuffer.isView(data) ? data.byteLength : (data as Blob).size ?? 0;
        hub.receive(session, undefined, size, true);
      }
    });
    client.addEventListener("close", (event) => {
      open.delete(entry);
      hub.closed(session, (event as CloseEvent).code ?? 1005);
    });
    session.start();
  });
  return {
    handler,
    link,
    url,
    sessions: () => hub.records,
    sessionCount: () => hub.count,
    waitForSession: (p, t) => hub.waitForSession(p, t),
    addFault: (f) => hub.addFault(f),
    sync: async () => {},
    close: async () => {
      for (const e of [...open]) e.session.stop(1001, "bwemu stub shutting down");
    },
  };
}
