// Shared by the secrets-/terminal-/stub-/api- hostile tests: bwemu as a user runs it (the real CLI in
// a child process, bytes of stdout and stderr kept as they came), and a small loopback app whose
// initiate answer and media socket the test scripts. Every wait has a timeout.

import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WebSocketServer, type WebSocket } from "ws";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;
const main = join(repo, "src/cli/main.ts");

export interface CliRun {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** `bwemu <args>` in a child process; resolves when it exits (killed after `timeoutMs`). */
export function runBwemu(args: string[], o: { env?: Record<string, string | undefined>; timeoutMs?: number; cwd?: string } = {}): Promise<CliRun> {
  const timeoutMs = o.timeoutMs ?? 150_000;
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...o.env } as NodeJS.ProcessEnv;
    const child = spawn(process.execPath, ["--import", tsx, main, ...args], { cwd: o.cwd ?? repo, env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bwemu ${args.join(" ")} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
    child.stdin.end();
  });
}

export interface HostileApp {
  /** The initiate URL. */
  url: string;
  base: string;
  /** ws://127.0.0.1:PORT (the media socket; any path). */
  wsUrl: string;
  wsPort: number;
  close(): Promise<void>;
}

export interface HostileAppOptions {
  /** BXML (or anything) answered to the initiate webhook; gets the app's base URLs. */
  initiate(base: string, ws: { url: string; port: number }): { body: string; status?: number; headers?: Record<string, string> };
  /** Answer to every other webhook (default 204). */
  other?: (path: string) => { body: string; status?: number; headers?: Record<string, string> };
  /** The media socket's behaviour once connected. */
  onStream?(ws: WebSocket): void;
  /** Status line and headers for a refused upgrade (the socket is then closed). */
  refuseUpgrade?: { status: string; headers?: Record<string, string> };
}

/** An HTTP app and a media WebSocket server on 127.0.0.1 that do what the test says. */
export async function startHostileApp(o: HostileAppOptions): Promise<HostileApp> {
  const wsServer = http.createServer();
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  wsServer.on("upgrade", (req, socket, head) => {
    socket.on("error", () => undefined);
    if (o.refuseUpgrade) {
      const h = Object.entries(o.refuseUpgrade.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.end(`HTTP/1.1 ${o.refuseUpgrade.status}\r\n${h}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
      ws.on("error", () => undefined);
      o.onStream?.(ws);
    });
  });
  await new Promise<void>((r) => wsServer.listen(0, "127.0.0.1", () => r()));
  const wsPort = (wsServer.address() as AddressInfo).port;
  const ws = { url: `ws://127.0.0.1:${wsPort}/media`, port: wsPort };
  let base = "";
  const app = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const a = path === "/voice" ? o.initiate(base, ws) : (o.other?.(path) ?? { body: "", status: 204 });
      res.writeHead(a.status ?? 200, { "content-type": "application/xml", ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const closeServer = (s: http.Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  return {
    url: `${base}/voice`,
    base,
    wsUrl: ws.url,
    wsPort,
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      await Promise.all([closeServer(app), closeServer(wsServer)]);
    },
  };
}

/** Raw C0/C1 controls (tab, LF and CR aside), DEL and bidi controls: what must never reach a terminal. */
export const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
