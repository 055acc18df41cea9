// The real `bwemu` CLI in a child process (tsx by absolute URL, so any cwd works), for tests that
// check what a user sees: exit code, stdout, stderr.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const TSX = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
export const MAIN = join(REPO, "src/cli/main.ts");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to the environment; undefined removes a variable. NO_COLOR / FORCE_COLOR are removed unless given. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Standard input (default: empty). */
  input?: string | Buffer;
  /** Node flags before the entry point (after `--import tsx`). */
  nodeArgs?: string[];
  /** Called with the child as soon as it is spawned. */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
}

export function runCli(args: string[], o: CliOptions = {}): Promise<CliRun> {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...o.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, ...(o.nodeArgs ?? []), MAIN, ...args], { cwd: o.cwd ?? REPO, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bwemu ${args.join(" ")} did not finish within ${(o.timeoutMs ?? 120_000) / 1000} s; stderr: ${stderr}`));
    }, o.timeoutMs ?? 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {}); // a CLI that exits without reading its input
    child.stdin.end(o.input ?? "");
    o.onSpawn?.(child);
  });
}

/** A user's mistake is a message, never a stack trace or an internal error. */
export function hasStackTrace(r: CliRun): boolean {
  return /\n\s+at .+:\d+:\d+\)?\n/.test(r.stdout + r.stderr) || /internal error/.test(r.stderr);
}
