// `bwemu call --app URL --audio caller.wav`: place one call to an app and watch it live.
// Prints a readable timeline (verbs, webhooks with status, stream frames per second, audio played,
// findings), writes timeline.jsonl, caller.wav / heard.wav / per-stream WAVs and every BXML received.
// Exit codes (exit.ts): 0 the call completed normally; 1 the app misbehaved (the reason is printed:
// disconnect cause or error findings); 2 usage error (bad flag, unreadable WAV/script); 3 bwemu bug.

import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { Carrier } from "../../emulator/call/carrier.js";
import type { CallAction, CallerAudio, CallResult, CarrierSettings } from "../../emulator/call/types.js";
import { CallerAudioError, readCallerScriptFile } from "../../emulator/media/caller-script.js";
import { readWavFile, WavError, writeWav } from "../../emulator/media/wav.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import { EXIT, UsageError } from "./exit.js";

export interface CallFlags {
  app: string;
  audio?: string;
  script?: string;
  dtmf?: string;
  duration: string;
  linger: string;
  fast?: boolean;
  out?: string;
  callbackUser?: string;
  callbackPassword?: string;
  from?: string;
  to?: string;
  method?: string;
  l16?: boolean;
  json?: boolean;
  hangupAt?: string;
}

export function register(program: Command): void {
  program
    .command("call")
    .description("place one call to an app: initiate → BXML → media stream, with a live timeline")
    .requiredOption("--app <url>", "the app's initiate URL (CallInitiatedCallbackUrl)")
    .option("--audio <wav>", "the caller's audio (WAV, any common format)")
    .option("--script <file>", "utterance script (JSON/YAML: {script:[{wav, silenceBeforeMs, start}]}) instead of --audio")
    .option("--dtmf <digits>", "digits the caller presses for Gather/StartGather (w = 0.5 s pause)")
    .option("--duration <time>", "hang up after this long at the latest (e.g. 30s, 2m, 1500ms)", "30s")
    .option("--linger <time>", "hang up this long after the caller's audio and the app's reply finished", "3s")
    .option("--fast", "send frames as fast as the socket takes them (functional runs)")
    .option("--out <dir>", "where to write timeline.jsonl, WAVs and BXML (default bwemu-out/<callId>)")
    .option("--callback-user <user>", "Basic credentials the carrier sends with initiate/disconnect")
    .option("--callback-password <password>", "password for --callback-user (or env BWEMU_CALLBACK_PASSWORD)")
    .option("--from <number>", "caller number", "+15557770100")
    .option("--to <number>", "called number", "+15557770199")
    .option("--method <method>", "initiate method: POST or GET", "POST")
    .option("--l16", "stream L16 16 kHz instead of PCMU 8 kHz (ED-10)")
    .option("--hangup-at <time>", "the caller hangs up this long after the stream starts")
    .option("--json", "print timeline events as JSON lines and a final result line")
    .addHelpText(
      "after",
      "\nExit codes: 0 the call completed normally, 1 the app misbehaved (reason printed), 2 usage error.\n" +
        "Example:\n  bwemu call --app http://127.0.0.1:3000/voice --audio caller.wav --fast --out run1",
    )
    .action(async (flags: CallFlags) => {
      process.exitCode = await runCallCommand(flags);
    });
}

/** "30s", "2m", "1500ms", "1h", or plain seconds → ms. */
export function parseDuration(v: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v);
  if (!m) throw new UsageError(`${flag}: "${v}" is not a duration (e.g. 30s, 2m, 1500ms)`);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

export interface CallInput {
  settings: Partial<CarrierSettings>;
  appUrl: string;
  caller: CallerAudio;
  dtmf?: string;
  maxDurationMs: number;
  hangupAfterCallerMs: number;
  actions: CallAction[];
  from: string;
  to: string;
  out?: string;
}

/** Flags → a checked call description; throws UsageError with the reason. */
export async function checkFlags(flags: CallFlags, env: NodeJS.ProcessEnv = process.env): Promise<CallInput> {
  let app: URL;
  try {
    app = new URL(flags.app);
  } catch {
    throw new UsageError(`--app: "${flags.app}" is not an absolute URL`);
  }
  if (app.protocol !== "http:" && app.protocol !== "https:") throw new UsageError(`--app: ${flags.app} must be http(s)`);
  if (flags.audio && flags.script) throw new UsageError("give --audio or --script, not both");
  let caller: CallerAudio = { silence: true };
  try {
    if (flags.audio) {
      await readWavFile(flags.audio); // fail early with the WAV's own reason
      caller = { wav: resolve(flags.audio) };
    } else if (flags.script) {
      caller = await readCallerScriptFile(flags.script);
      if ("script" in caller) for (const u of caller.script) await readWavFile(u.wav);
    }
  } catch (e) {
    if (e instanceof WavError || e instanceof CallerAudioError) throw new UsageError(e.message);
    throw e;
  }
  if (flags.dtmf !== undefined && !/^[0-9*#A-Da-dwW,]*$/.test(flags.dtmf)) {
    throw new UsageError(`--dtmf: "${flags.dtmf}" may only contain 0-9 * # A-D and the pauses w W ,`);
  }
  const method = (flags.method ?? "POST").toUpperCase();
  if (method !== "POST" && method !== "GET") throw new UsageError(`--method: ${flags.method} must be POST or GET`);
  const password = flags.callbackPassword ?? env.BWEMU_CALLBACK_PASSWORD;
  if (password !== undefined && flags.callbackUser === undefined) throw new UsageError("--callback-password needs --callback-user");
  const settings: Partial<CarrierSettings> = {
    pacing: flags.fast ? "fast" : "realtime",
    initiateMethod: method,
    mediaFormat: flags.l16 ? { encoding: "L16", sampleRate: 16000 } : { encoding: "PCMU", sampleRate: 8000 },
  };
  if (flags.callbackUser !== undefined) settings.callbackCreds = { username: flags.callbackUser, password: password ?? "" };
  const actions: CallAction[] = [];
  if (flags.hangupAt !== undefined) actions.push({ atMs: parseDuration(flags.hangupAt, "--hangup-at"), action: "hangup" });
  return {
    settings,
    appUrl: app.href,
    caller,
    dtmf: flags.dtmf,
    maxDurationMs: parseDuration(flags.duration, "--duration"),
    hangupAfterCallerMs: parseDuration(flags.linger, "--linger"),
    actions,
    from: flags.from ?? "+15557770100",
    to: flags.to ?? "+15557770199",
    out: flags.out,
  };
}

export interface CallRun {
  result: CallResult;
  exitCode: number;
  reason?: string;
  outDir: string;
}

/** Run one call; `write` receives the live view. */
export async function runCall(input: CallInput, write: (s: string) => void, json = false): Promise<CallRun> {
  const carrier = new Carrier({ settings: input.settings });
  const { apiBaseUrl } = await carrier.listen(0);
  const view = new LiveView(write, json);
  const unsubscribe = carrier.timeline.subscribe((e) => view.event(e));
  if (!json) write(`bwemu call → ${input.appUrl}  (Voice API at ${apiBaseUrl}, ${input.settings.pacing} pacing)\n`);
  const stopSignal = () => handle.hangup();
  const handle = carrier.placeCall({
    appUrl: input.appUrl,
    from: input.from,
    to: input.to,
    caller: input.caller,
    dtmf: input.dtmf,
    maxDurationMs: input.maxDurationMs,
    hangupAfterCallerMs: input.caller && !("silence" in input.caller) ? input.hangupAfterCallerMs : undefined,
    actions: input.actions,
  });
  process.once("SIGINT", stopSignal);
  let result: CallResult;
  try {
    result = await handle.done;
  } finally {
    process.removeListener("SIGINT", stopSignal);
  }
  view.flush();
  unsubscribe();
  const call = carrier.calls.get(handle.callId)!;
  const outDir = resolve(input.out ?? join("bwemu-out", handle.callId));
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "timeline.jsonl"), result.timeline.toJSONL());
  if (call.audio) {
    await writeFile(join(outDir, "caller.wav"), writeWav(call.audio.inboundPcm(), 8000));
    await writeFile(join(outDir, "heard.wav"), writeWav(call.audio.outboundPcm(), 8000));
  }
  for (const [i, s] of result.streams.entries()) {
    const base = `stream-${i + 1}-${s.name.replace(/[^\w.-]+/g, "_").slice(0, 60)}`;
    await writeFile(join(outDir, `${base}-inbound.wav`), writeWav(s.inboundPcm, 8000));
    await writeFile(join(outDir, `${base}-played.wav`), writeWav(s.playedPcm, 8000));
  }
  for (const [i, d] of result.documents.entries()) await writeFile(join(outDir, `bxml-${i + 1}.xml`), d.text);
  await carrier.close();

  const errors = result.timeline.events.filter((e) => e.kind === "finding" && (e.data as { level: string }).level === "error");
  const normal = result.disconnectCause === "hangup" && errors.length === 0;
  const reason = normal
    ? undefined
    : result.disconnectCause !== "hangup"
      ? `the call ended with cause ${result.disconnectCause}${result.errorMessage ? `: ${result.errorMessage}` : ""}`
      : `${errors.length} error finding(s): ${errors.map((e) => (e.data as { message: string }).message).join("; ")}`;
  const exitCode = normal ? EXIT.OK : EXIT.FINDINGS;
  if (json) {
    write(
      JSON.stringify({
        result: { callId: result.callId, disconnectCause: result.disconnectCause, errorMessage: result.errorMessage, exitCode, reason, outDir, documents: result.documents.length, streams: result.streams.length },
      }) + "\n",
    );
  } else {
    write(`\n${normal ? "✓ call completed normally" : `✗ ${reason}`}\n`);
    write(`  cause ${result.disconnectCause}; ${result.documents.length} BXML document(s); ${result.streams.length} stream(s); files in ${outDir}\n`);
  }
  return { result, exitCode, reason, outDir };
}

export async function runCallCommand(flags: CallFlags): Promise<number> {
  const input = await checkFlags(flags);
  const run = await runCall(input, (s) => process.stdout.write(s), flags.json);
  return run.exitCode;
}

// ---------- the live view ----------

type AnyData = Record<string, unknown>;

/** Turns timeline events into short lines; media frames are summarised once per second per stream. */
export class LiveView {
  private t0?: number;
  private lastT?: number;
  private window?: { startUs: number; out: Map<string, number>; inPlay: Map<string, number>; inOther: Map<string, number> };

  constructor(
    private readonly write: (s: string) => void,
    private readonly json: boolean,
  ) {}

  private ts(t: number): string {
    if (this.t0 === undefined) this.t0 = t;
    return `${((t - this.t0) / 1e6).toFixed(3).padStart(8)}s`;
  }

  event(e: TimelineEvent): void {
    this.lastT = e.t;
    if (this.json) {
      if (e.kind === "ws.frame" && (e.data as AnyData).eventType === "media") return;
      this.write(JSON.stringify(e) + "\n");
      return;
    }
    const d = e.data as AnyData;
    if (e.kind === "ws.frame") {
      const w = this.roll(e.t);
      const key = String(d.streamId);
      if (d.direction === "out") w.out.set(key, (w.out.get(key) ?? 0) + 1);
      else if (d.eventType === "playAudio") w.inPlay.set(key, (w.inPlay.get(key) ?? 0) + 1);
      else w.inOther.set(key, (w.inOther.get(key) ?? 0) + 1);
      if (d.eventType === "media" || d.eventType === "playAudio") return;
    }
    const line = this.describe(e, d);
    if (line) this.write(`${this.ts(e.t)}  ${line}\n`);
  }

  private roll(t: number) {
    if (!this.window || t - this.window.startUs >= 1e6) {
      this.flush(t);
      this.window = { startUs: t, out: new Map(), inPlay: new Map(), inOther: new Map() };
    }
    return this.window;
  }

  /** Print the current frame summary (stamped when it is printed, so lines stay in time order). */
  flush(at?: number): void {
    const w = this.window;
    if (!w || this.json) return;
    this.window = undefined;
    const stamp = this.ts(at ?? this.lastT ?? w.startUs);
    for (const id of new Set([...w.out.keys(), ...w.inPlay.keys()])) {
      const parts = [`${w.out.get(id) ?? 0} frames out`];
      if (w.inPlay.get(id)) parts.push(`${w.inPlay.get(id)} playAudio in`);
      if (w.inOther.get(id)) parts.push(`${w.inOther.get(id)} other in`);
      this.write(`${stamp}  ~ stream ${id.slice(0, 11)}…: ${parts.join(", ")} since ${this.ts(w.startUs).trim()}\n`);
    }
  }

  private describe(e: TimelineEvent, d: AnyData): string | undefined {
    switch (e.kind) {
      case "call.created":
        return `call ${d.callId} ${d.direction} ${d.from} → ${d.to}`;
      case "call.state":
        return `call ${d.state}${d.cause ? ` (cause ${d.cause}${d.errorMessage ? `: ${d.errorMessage}` : ""})` : ""}`;
      case "webhook.result":
        return `webhook ${d.eventType} ${d.method} ${d.url} → ${d.ok ? `${d.status}` : `FAILED: ${d.error}`}${Number(d.attempts) > 1 ? ` (${d.attempts} attempts${d.usedFallback ? ", fallback" : ""})` : ""}`;
      case "http.exchange":
        if (d.role === "rest-api") return `REST ${d.method} ${d.url} → ${d.status}`;
        if (d.role === "audio-fetch") return `fetch audio ${d.url} → ${d.status ?? d.error}`;
        return undefined;
      case "bxml.received": {
        const diags = (d.diagnostics as AnyData[]).filter((x) => x.level !== "info");
        return `BXML from ${d.url} ${d.accepted ? "accepted" : "REJECTED"}${diags.length ? `: ${diags.map((x) => `${x.level} ${x.ruleId} (line ${x.line}) ${x.message}`).join("; ")}` : ""}`;
      }
      case "verb.start":
        return `▶ <${d.verb}> (line ${d.line})`;
      case "verb.end":
        return d.outcome && d.outcome !== "next" ? `■ <${d.verb}> ${d.outcome}` : undefined;
      case "stream.connect":
        return `stream "${d.name}" → ${d.destination} ${d.ok ? "connected" : `FAILED: ${d.error}`}`;
      case "ws.frame":
        return `ws ${d.direction === "out" ? "→" : "←"} ${d.eventType ?? (d.binary ? "binary frame" : "frame")}${d.text && d.eventType !== "start" && d.eventType !== "stop" ? ` ${String(d.text).slice(0, 120)}` : ""}`;
      case "ws.close":
        return `ws closed by ${d.by} (${d.code}${d.reason ? ` ${d.reason}` : ""})`;
      case "audio.play":
        return `♪ playing ${d.durationMs} ms of app audio`;
      case "audio.cleared":
        return `♪ clear dropped ${d.droppedMs} ms`;
      case "caller.utterance":
        return `caller utterance ${d.index} ${d.phase}${d.bargeIn ? " (barge-in)" : ""}`;
      case "caller.dtmf":
        return `caller pressed ${d.digit} → ${d.to}`;
      case "finding":
        return `${d.level === "error" ? "✗" : d.level === "warning" ? "!" : "i"} ${d.level} ${d.code}: ${d.message}`;
      case "note":
        return `· ${d.message}`;
      default:
        return undefined;
    }
  }
}
