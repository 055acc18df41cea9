// An app server written the way Bandwidth's samples are: node:http, a JSON webhook body, routing by
// path, BXML built with bandwidth-sdk's builders. The test writes the routes; every webhook is kept.
import http from "node:http";
import { Bxml } from "bandwidth-sdk";
import { listenLoopback } from "./loopback.js";

export interface Hook {
  path: string;
  body: Record<string, unknown>;
}

export interface SdkApp {
  base: string;
  hooks: Hook[];
  close(): Promise<void>;
}

/** Reply with a BXML document built from bandwidth-sdk verbs. */
export function sendBxml(res: http.ServerResponse, verbs: ConstructorParameters<typeof Bxml.Response>[0]): void {
  res.writeHead(200, { "content-type": "application/xml" });
  res.end(new Bxml.Response(verbs).toBxml());
}

/** Routes return nothing when they answered; unknown paths get 204. `base` is known before any request. */
export async function startSdkApp(route: (hook: Hook, res: http.ServerResponse, base: string) => unknown): Promise<SdkApp> {
  const hooks: Hook[] = [];
  let base = "";
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
    const hook = { path: new URL(req.url ?? "/", "http://x").pathname, body };
    hooks.push(hook);
    await route(hook, res, base);
    if (!res.headersSent) {
      res.writeHead(204);
      res.end();
    }
  });
  const { origin, close } = await listenLoopback(server);
  base = origin;
  return { base, hooks, close };
}
