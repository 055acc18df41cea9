// Runs the bwemu CLI as a child process (as a user does) and measures its peak RSS from
// /proc/<pid>/status (VmHWM, the kernel's high-water mark), and checks every file it wrote parses.

import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { XMLValidator } from "fast-xml-parser";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(repo, "src/cli/main.ts");
const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;

export interface BwemuRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the bwemu process, MiB (VmHWM, sampled until it exits). */
  peakRssMiB: number;
  durationMs: number;
  pid: number;
}

function vmHwmKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Called with everything printed so far on each stdout chunk (e.g. to stop the process at a given point). */
  onStdout?: (all: string, pid: number) => void;
  /** Kill it after this long (a hang is a failure, not a stuck test). Default 90 s. */
  killAfterMs?: number;
}

export function runBwemu(args: string[], o: RunOptions = {}): Promise<BwemuRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", tsx, main, ...args], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: "1", ...o.env },
  });
  const pid = child.pid!;
  let peak = 0;
  const sample = () => (peak = Math.max(peak, vmHwmKiB(pid) ?? 0));
  const sampler = setInterval(sample, 25);
  const killer = setTimeout(() => child.kill("SIGKILL"), o.killAfterMs ?? 90_000);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
    o.onStdout?.(stdout, pid);
  });
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    // "exit" fires before the process is reaped by the "close" of its pipes: take the last sample then.
    child.on("exit", sample);
    child.on("close", (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, peakRssMiB: Math.round(peak / 1024), durationMs: Math.round(performance.now() - t0), pid });
    });
  });
}

/** Every file bwemu wrote into `dir`, each checked to exist and parse by its type; returns their names. */
export function checkOutputFiles(dir: string, mustHave: string[]): string[] {
  for (const f of mustHave) if (!existsSync(join(dir, f))) throw new Error(`${f} was not written in ${dir}`);
  const files = readdirSync(dir);
  for (const f of files) {
    const path = join(dir, f);
    if (f.endsWith(".tmp")) throw new Error(`${f}: a temporary file was left behind`);
    if (f.endsWith(".jsonl")) {
      const lines = readFileSync(path, "utf8").split("\n");
      if (lines.pop() !== "") throw new Error(`${f} does not end with a newline`);
      lines.forEach((l, i) => {
        try {
          JSON.parse(l);
        } catch (e) {
          throw new Error(`${f}:${i + 1} is not JSON: ${(e as Error).message}`);
        }
      });
    } else if (f.endsWith(".json") || f.endsWith(".sarif")) JSON.parse(readFileSync(path, "utf8"));
    else if (f.endsWith(".xml")) {
      // BXML as the app sent it may be invalid (that is the point); JUnit must be well-formed.
      if (f === "junit.xml" && XMLValidator.validate(readFileSync(path, "utf8")) !== true) throw new Error("junit.xml is not well-formed XML");
    } else if (f.endsWith(".wav")) {
      const head = readFileSync(path).subarray(0, 12).toString("latin1");
      if (!head.startsWith("RIFF") || head.slice(8) !== "WAVE") throw new Error(`${f} is not a WAV file`);
    } else if (f.endsWith(".html")) {
      if (!/<\/html>\s*$/.test(readFileSync(path, "utf8"))) throw new Error(`${f} is not a complete HTML document`);
    }
  }
  return files;
}

/** The lines of a timeline.jsonl, parsed. */
export function readTimeline(path: string): { seq: number; kind: string; callId?: string; data: Record<string, unknown> }[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
