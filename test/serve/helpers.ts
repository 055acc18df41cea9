// `bwemu serve` as a user runs it: the real CLI in a child process (tsx), its JSON ready line read
// from stdout; and a small app on loopback that records every webhook it receives.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { MAIN, REPO, TSX } from "../support/cli.js";
import { listenLoopback } from "../support/loopback.js";

export interface ServeProcess {
  child: ChildProcess;
  ready: { url: string; apiBaseUrl: string; health: string; realtime: string | null; accountId: string; applicationId: string; maxCalls: number };
  output(): string;
  /** Send a signal and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startServeProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ["--import", TSX, MAIN, "serve", ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bwemu serve did not print its ready line in 30 s; stdout: ${out} stderr: ${err}`));
    }, 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      const before = out;
      out += d.toString();
      if (!before.includes("\n") && out.includes("\n")) {
        clearTimeout(timer);
        const ready = JSON.parse(out.slice(0, out.indexOf("\n")));
        resolve({
          child,
          ready,
          output: () => out + err,
          stop: (signal = "SIGTERM") => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bwemu serve exited (${code}) before it was ready: ${out}${err}`));
    });
  });
}

export interface Hook {
  path: string;
  body: Record<string, unknown>;
}

export interface TestApp {
  url: string;
  hooks: Hook[];
  /** Resolves with the first webhook to `path` (after any already received). */
  next(path: string, timeoutMs?: number): Promise<Hook>;
  close(): Promise<void>;
}

/** An app whose routes answer BXML (a string, with `headers`) or 200 (undefined); every request is recorded. */
export async function startTestApp(routes: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<TestApp> {
  const hooks: Hook[] = [];
  const waiters: { path: string; resolve: (h: Hook) => void }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    } catch {
      /* not JSON */
    }
    const hook = { path, body };
    hooks.push(hook);
    for (const w of waiters.filter((x) => x.path === path)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(hook);
    }
    const doc = routes[path];
    if (doc === undefined && !(path in routes)) {
      res.writeHead(404).end();
      return;
    }
    if (doc === undefined) res.writeHead(200).end();
    else res.writeHead(200, { "content-type": "application/xml", ...headers }).end(doc);
  });
  const { origin: url, close } = await listenLoopback(server);
  return {
    url,
    hooks,
    next: (path, timeoutMs = 15_000) => {
      const seen = hooks.length;
      return new Promise<Hook>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no webhook to ${path} within ${timeoutMs} ms; got ${hooks.slice(seen).map((h) => h.path).join(", ") || "none"}`)), timeoutMs);
        waiters.push({ path, resolve: (h) => (clearTimeout(t), resolve(h)) });
      });
    },
    close,
  };
}
