// Runs a bundled bridge (the reference, or a faulty variant) as a child process, the way a user's
// bridge runs: a crash stays in the child, and the harness always reaps it.

import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const REFERENCE_BRIDGE_MAIN = join(ROOT, "fixtures/bridges/reference/main.ts");

export interface BridgeProcessOptions {
  realtimeUrl: string;
  /** BRIDGE_FAULT: the name of a folder in fixtures/bridges/faulty. */
  fault?: string;
  greeting?: boolean;
  env?: Record<string, string>;
  /** How long to wait for the `listening on` line. */
  readyTimeoutMs?: number;
}

export interface BridgeProcess {
  /** The initiate URL (…/voice). */
  url: string;
  /** The last lines the bridge printed (bounded), for reports when it misbehaves. */
  output(): string[];
  /** Whether the process has exited (a crash), with its code. */
  exited(): { code: number | null; signal: string | null } | undefined;
  stop(): Promise<void>;
}

const MAX_LINES = 400;

export async function startBridgeProcess(o: BridgeProcessOptions): Promise<BridgeProcess> {
  const lines: string[] = [];
  let exit: { code: number | null; signal: string | null } | undefined;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", REFERENCE_BRIDGE_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      REALTIME_URL: o.realtimeUrl,
      GREETING: o.greeting === false ? "0" : "1",
      ...(o.fault ? { BRIDGE_FAULT: o.fault } : {}),
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const push = (chunk: Buffer) => {
    for (const l of chunk.toString("utf8").split("\n")) if (l.trim()) lines.push(l);
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
  };
  child.stdout!.on("data", push);
  child.stderr!.on("data", push);
  child.on("exit", (code, signal) => (exit = { code, signal }));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bridge did not start within ${o.readyTimeoutMs ?? 20000} ms:\n${lines.slice(-10).join("\n")}`));
    }, o.readyTimeoutMs ?? 20_000);
    const onData = (chunk: Buffer) => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(chunk.toString("utf8"));
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(`${m[1].replace(/\/$/, "")}/voice`);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with code ${code} before it was ready:\n${lines.slice(-10).join("\n")}`));
    });
  });

  return {
    url,
    output: () => [...lines],
    exited: () => exit,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exit) return resolve();
        const hard = setTimeout(() => child.kill("SIGKILL"), 3000);
        child.once("exit", () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
