// `bwemu load`: parse and check the flags, start what the run points at (load/target.ts), run it
// (load/run.ts) with a live line, write load.json and load.html, print the summary.

import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { CarrierSettings } from "../../emulator/call/types.js";
import { escapeControls, escapeJsonControls } from "../../emulator/text/escape.js";
import { renderLoadHtml } from "../../reports/html/load.js";
import { conversationCapMs } from "../speech.js";
import { liveLine, summaryLines } from "../load/live.js";
import { runLoad, type LoadResult } from "../load/run.js";
import { startLoadTarget, type TargetOptions } from "../load/target.js";
import { CallOptionError, callerOf, checkDtmf, MAX_TURNS, mediaFormatOf } from "../load/spec.js";
import type { LoadOptions } from "../load/types.js";
import { shownUrl, waitForApp, waitingLine } from "../run/app-ready.js";
import { checkBridgeName } from "../bridges.js";
import { UsageError } from "../exit.js";
import { parseDuration, parseInt10, parseRealtimeUrl } from "../parse.js";

export interface LoadFlags {
  app?: string;
  bridge?: string;
  calls: string;
  rate?: string;
  duration?: string;
  ramp?: string;
  turns: string;
  audio?: string;
  dtmf?: string;
  realtime?: string;
  stubPort?: string;
  callDuration?: string;
  hangupAfter: string;
  workers?: string;
  window: string;
  l16?: boolean;
  record?: boolean;
  waitForApp?: string;
  out?: string;
  json?: boolean;
  /** `--no-cross-talk` sets false. */
  crossTalk?: boolean;
}

export interface CheckedLoad {
  options: LoadOptions;
  target: TargetOptions;
  out?: string;
  waitMs: number;
}

/** "5", "5/s", "0.5/s" → calls per second. */
export function parseRate(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s)?\s*$/.exec(v);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0) || n > 10_000) throw new UsageError(`--rate: "${v}" is not a rate (e.g. 5/s, 0.5/s; at most 10000/s)`);
  return n;
}

export async function checkLoadFlags(flags: LoadFlags, env: NodeJS.ProcessEnv = process.env): Promise<CheckedLoad> {
  if ((flags.app === undefined) === (flags.bridge === undefined)) throw new UsageError(flags.app === undefined ? "give --app <url> or --bridge <name>" : "--app and --bridge exclude each other: give one");
  const target: TargetOptions = {};
  if (flags.app !== undefined) {
    let u: URL;
    try {
      u = new URL(flags.app);
    } catch {
      throw new UsageError(`--app: "${flags.app}" is not an absolute URL`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`--app: ${flags.app} must be http(s)`);
    target.appUrl = u.href;
  } else {
    const b = await checkBridgeName(flags.bridge!, { passthrough: true });
    target.bridge = { kind: b.kind, fault: b.fault };
  }
  const rt = flags.realtime ?? (flags.bridge !== undefined ? "stub" : undefined);
  if (rt === "stub") {
    target.stubPort = flags.stubPort !== undefined ? parseInt10(flags.stubPort, "--stub-port", 0, 65535) : flags.app !== undefined ? 4020 : 0;
  } else if (rt !== undefined) {
    if (flags.app !== undefined) throw new UsageError(`--realtime ${rt}: with --app your bridge connects to its own Realtime endpoint; use --realtime stub (or --bridge)`);
    const u = parseRealtimeUrl(rt);
    target.realtimeUrl = u.href;
    target.apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  }
  if (flags.stubPort !== undefined && target.stubPort === undefined) throw new UsageError("--stub-port needs the stub (--realtime stub)");

  const calls = parseInt10(flags.calls, "--calls", 1, 100_000);
  let spoken: Awaited<ReturnType<typeof callerOf>>;
  try {
    spoken = await callerOf({ audio: flags.audio, turns: flags.audio !== undefined ? 0 : parseInt10(flags.turns, "--turns", 0, MAX_TURNS) }, { audio: "--audio", turns: "--turns" });
    checkDtmf(flags.dtmf, "--dtmf");
  } catch (e) {
    if (e instanceof CallOptionError) throw new UsageError(e.message);
    throw e;
  }
  const { caller, turns } = spoken;
  const durationMs = flags.duration !== undefined ? parseDuration(flags.duration, "--duration") : undefined;
  if (durationMs === 0) throw new UsageError("--duration: must be above 0");
  const rampMs = flags.ramp !== undefined ? parseDuration(flags.ramp, "--ramp") : undefined;
  const windowMs = parseDuration(flags.window, "--window");
  if (windowMs < 100 || windowMs > 60_000) throw new UsageError(`--window: ${flags.window} must be between 100ms and 60s`);
  const maxCallMs = flags.callDuration !== undefined ? parseDuration(flags.callDuration, "--call-duration") : conversationCapMs(Math.max(1, turns));
  const settings: Partial<CarrierSettings> = {
    pacing: "realtime",
    mediaFormat: mediaFormatOf(flags.l16),
    recordAudio: flags.record ? "both" : "none",
  };
  const options: LoadOptions = {
    appUrl: target.appUrl ?? "",
    calls,
    ratePerS: flags.rate !== undefined ? parseRate(flags.rate) : undefined,
    durationMs,
    rampMs,
    caller,
    dtmf: flags.dtmf,
    maxCallMs,
    hangupAfterCallerMs: "silence" in caller ? undefined : parseDuration(flags.hangupAfter, "--hangup-after"),
    conversation: turns > 0,
    settings,
    workers: flags.workers !== undefined ? parseInt10(flags.workers, "--workers", 0, 256) : availableParallelism(),
    windowMs,
    // The stub echoes each caller's signature back; any other upstream lets only caller audio be traced.
    ...(flags.crossTalk !== false ? { crossTalk: target.stubPort !== undefined ? ("echo" as const) : ("caller-only" as const) } : {}),
  };
  if (options.crossTalk === "echo") target.echo = true;
  if (flags.waitForApp !== undefined && flags.app === undefined) throw new UsageError("--wait-for-app needs --app");
  return { options, target, out: flags.out, waitMs: flags.waitForApp === undefined ? 0 : parseDuration(flags.waitForApp, "--wait-for-app") };
}

/** Write load.json and load.html; returns the folder. */
export async function writeLoadReports(r: LoadResult, appUrl: string, dir: string): Promise<string> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "load.json"), JSON.stringify({ tool: "bwemu", appUrl, ...r }, null, 2) + "\n");
  await writeFile(join(out, "load.html"), renderLoadHtml({ ...r, appUrl }));
  return out;
}

export async function runLoadCommand(flags: LoadFlags): Promise<number> {
  const checked = await checkLoadFlags(flags);
  const err = (s: string): boolean => process.stderr.write(s);
  const info = flags.json ? err : (s: string) => process.stdout.write(s);
  if (checked.target.appUrl) {
    const appUrl = checked.target.appUrl;
    await waitForApp(appUrl, { waitMs: checked.waitMs, onWait: (reason) => err(`bwemu: ${waitingLine(appUrl, checked.waitMs, reason)}\n`) });
  }
  let target;
  try {
    target = await startLoadTarget(checked.target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") throw new UsageError(`--stub-port ${checked.target.stubPort}: cannot listen (${code})`);
    throw e;
  }
  const abort = new AbortController();
  const onSigint = (): void => {
    info("\nbwemu: interrupted: hanging up every call and writing a partial report (Ctrl-C again to quit at once)\n");
    process.removeListener("SIGINT", onSigint);
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  const tty = !flags.json && process.stdout.isTTY === true;
  try {
    if (target.stubUrl) info(`Realtime stub at ${target.stubUrl}${checked.target.appUrl ? " (point your bridge's upstream here)" : ""}\n`);
    if (target.bridgePid) info(`bridge ${checked.target.bridge!.fault ?? checked.target.bridge!.kind} (pid ${target.bridgePid}) at ${target.appUrl}\n`);
    const o = { ...checked.options, appUrl: target.appUrl };
    // Userinfo and query may carry secrets: never shown or written.
    const shown = shownUrl(new URL(o.appUrl));
    info(`bwemu load → ${shown}: ${o.durationMs !== undefined ? `${o.calls} concurrent call(s) for ${o.durationMs / 1000} s` : `${o.calls} call(s)`} on ${o.workers || 1} thread(s)\n`);
    let lastPrinted = -Infinity;
    const result = await runLoad(o, {
      signal: abort.signal,
      stubTurns: target.stubTurns,
      live: (l) => {
        // On a terminal the line updates in place; in a log, one line every 5 s.
        if (tty) process.stdout.write(`\r\x1b[2K${liveLine(l)}`);
        else if (l.elapsedMs - lastPrinted >= 5000) {
          lastPrinted = l.elapsedMs;
          (flags.json ? err : info)(`${liveLine(l)}\n`);
        }
      },
    });
    if (tty) process.stdout.write("\n");
    const dir = await writeLoadReports(result, shown, checked.out ?? join("bwemu-out", `load-${result.startedAt.replace(/[:.]/g, "-")}`));
    if (flags.json) process.stdout.write(escapeJsonControls(JSON.stringify({ appUrl: shown, ...result, out: dir })) + "\n");
    else {
      for (const l of summaryLines(result)) info(`${escapeControls(l)}\n`);
      info(`  report: ${join(dir, "load.html")} · ${join(dir, "load.json")}\n`);
    }
    return result.verdict.exitCode;
  } finally {
    process.removeListener("SIGINT", onSigint);
    await target.close();
  }
}
