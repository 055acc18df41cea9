// The package as a user gets it, for the tests that install it in a scratch project: `npm pack` of
// this repository (which runs the `prepare` build), made once per test run and shared by the files
// that need it, and the environment of a user's shell to run things in.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * The environment of a user's shell: none of the npm script variables `npm test` sets, and no
 * node_modules/.bin of this repository on PATH (so nothing can borrow its tsx or tsc).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$|INIT_CWD$|TSX)/i.test(k)) env[k] = v;
  env.PATH = (process.env.PATH ?? "").split(delimiter).filter((p) => !p.includes("node_modules")).join(delimiter);
  env.NO_COLOR = "1";
  return env;
}

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000, env: NodeJS.ProcessEnv = userEnv()): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} ${args.join(" ")} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface Packed {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** `npm pack --json` about it. */
  info: { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };
}

/**
 * `npm pack` of the repository, once per test run: the files of one run (each in its own worker,
 * all children of the same Vitest process) share the tarball through a folder named after that
 * process. Folders of runs that are over are removed on the way.
 */
export async function packOnce(): Promise<Packed> {
  const runId = process.ppid;
  const home = join(tmpdir(), `bwemu-pack-${runId}`);
  const ready = join(home, "pack.json");
  for (const d of readdirSync(tmpdir()).filter((n) => /^bwemu-pack-\d+$/.test(n))) {
    const pid = Number(d.slice("bwemu-pack-".length));
    if (pid !== runId && !alive(pid)) rmSync(join(tmpdir(), d), { recursive: true, force: true });
  }
  if (!existsSync(ready)) {
    mkdirSync(home, { recursive: true });
    const work = mkdtempSync(join(home, "work-"));
    const pack = await run(NPM, ["pack", "--json", "--pack-destination", work], REPO, 240_000);
    if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${pack.stderr}`);
    const info = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as Packed["info"][])[0];
    renameSync(join(work, info.filename), join(home, info.filename));
    rmSync(work, { recursive: true, force: true });
    // Written last and whole: its presence means the tarball is complete.
    const tmp = join(home, "pack.json.tmp");
    writeFileSync(tmp, JSON.stringify(info));
    renameSync(tmp, ready);
  }
  const info = JSON.parse(readFileSync(ready, "utf8")) as Packed["info"];
  const tarball = join(home, info.filename);
  if (!statSync(tarball).isFile()) throw new Error(`the packed tarball ${tarball} is missing`);
  return { tarball, info };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
