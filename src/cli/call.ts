// `bwemu call --app URL --audio caller.wav`: place one call to an app and watch it live. This file
// parses flags into a CallInput and presents the run; the run itself (stub, bridge, carrier, every
// call the app creates, files, verdict) is src/run/call.ts.
// The live view: verbs, webhooks with status, stream frames per second, audio played, findings (a
// repeated warning once per call, with its count); lines of calls other than the placed one carry
// the call's short id. Then latency at the carrier (with caller speech), who ended the call, and the
// verdict. Exit codes (exit.ts): 0 every call completed normally; 1 the app misbehaved (the reason
// is printed: disconnect cause, error findings, turns without a reply, a call the app created that
// failed); 2 usage error (bad flag, unreadable WAV/script, missing or refused OPENAI_API_KEY); 3 bwemu bug.

import type { CallAction, CallerAudio, CarrierSettings, MachineDetection } from "../../emulator/call/types.js";
import { checkCalibration, formatCallLatency } from "../../emulator/latency/index.js";
import { CallerAudioError, readCallerScriptFile } from "../../emulator/media/caller-script.js";
import { readWavFile, WavError } from "../../emulator/media/wav.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import { escapeControls, escapeJsonControls } from "../../emulator/text/escape.js";
import { waitForApp, waitingLine } from "../run/app-ready.js";
import { conversation, TURN_SPEECH } from "../speech.js";
import { runCall as run, shortCallId, type CallInput, type CallRun, type OutboundInput, type RealtimeTarget } from "../run/call.js";
import { LineLimiter } from "../run/line-limit.js";
import { onSigint } from "../run/recordings.js";
import { checkBridgeName } from "../bridges.js";
import { colorsFor, type Colors } from "./colors.js";
import { UsageError } from "../exit.js";
import { parseDuration, parseInt10, parseRealtimeUrl } from "../parse.js";
import pc from "picocolors";
import { resolve } from "node:path";

// The input and result types, for callers of the presenting runCall below (tests, benches).
export type { CallInput, CallRun } from "../run/call.js";
import { carrierFlagSettings, type CarrierFlags } from "./carrier-flags.js";
import { isDialString } from "../../emulator/call/keypad.js";
import { mediaFormatOf } from "../load/spec.js";

export interface CallFlags extends CarrierFlags {
  app?: string;
  audio?: string;
  script?: string;
  dtmf?: string;
  duration?: string;
  hangupAfter: string;
  linger?: string;
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
  turns?: string;
  realtime?: string;
  direct?: boolean;
  bridge?: string;
  bridgeDelay?: string;
  stubPort?: string;
  stubScript?: string;
  greeting?: boolean;
  waitForApp?: string;
  // outbound calls, app-created calls and the application's settings
  outbound?: boolean;
  answerUrl?: string;
  disconnectUrl?: string;
  machineDetection?: string;
  machineDetectionMode?: string;
  machineDetectionUrl?: string;
  statusUrl?: string;
  accountId?: string;
  applicationId?: string;
}

/** Hosts that need OPENAI_API_KEY (live mode). Other URLs get the key when it is set. */
const LIVE_HOST = /(^|\.)openai\.com$/i;

/** Flags → a checked call description; throws UsageError with the reason. */
export async function checkFlags(flags: CallFlags, env: NodeJS.ProcessEnv = process.env): Promise<CallInput> {
  const outbound = checkOutbound(flags);
  if (flags.outbound) flags = { ...flags, app: flags.answerUrl };
  const modes = [flags.app !== undefined && "--app", flags.bridge !== undefined && "--bridge", flags.direct && "--direct"].filter(Boolean);
  if (modes.length === 0) throw new UsageError("give --app <url>, --bridge <name> or --direct (or --outbound --answer-url <url>)");
  if (modes.length > 1) throw new UsageError(`${modes.join(" and ")} exclude each other: give one`);
  const appUrl = flags.app !== undefined ? httpUrl(flags.app, flags.outbound ? "--answer-url" : "--app") : "";
  const given = [flags.audio !== undefined && "--audio", flags.script !== undefined && "--script", flags.turns !== undefined && "--turns"].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give one of --audio, --script or --turns, not ${given.join(" and ")}`);
  let caller: CallerAudio = { silence: true };
  let turns: number | undefined;
  try {
    if (flags.audio) {
      await readWavFile(flags.audio); // fail early with the WAV's own reason
      caller = { wav: resolve(flags.audio) };
    } else if (flags.script) {
      caller = await readCallerScriptFile(flags.script);
      if ("script" in caller) for (const u of caller.script) await readWavFile(u.wav);
    } else if (flags.turns !== undefined) {
      turns = parseInt10(flags.turns, "--turns", 1, 1000);
      caller = conversation(turns);
      if ("script" in caller) for (const u of caller.script.slice(0, TURN_SPEECH.length)) await readWavFile(u.wav);
    }
  } catch (e) {
    if (e instanceof WavError || e instanceof CallerAudioError) throw new UsageError(e.message);
    throw e;
  }
  if (flags.dtmf !== undefined && !isDialString(flags.dtmf)) {
    throw new UsageError(`--dtmf: "${flags.dtmf}" may only contain 0-9 * # A-D and the pauses w W ,`);
  }
  const method = (flags.method ?? "POST").toUpperCase();
  if (method !== "POST" && method !== "GET") throw new UsageError(`--method: ${flags.method} must be POST or GET`);
  const password = flags.callbackPassword ?? env.BWEMU_CALLBACK_PASSWORD;
  if (password !== undefined && flags.callbackUser === undefined) throw new UsageError("--callback-password needs --callback-user");

  // The Realtime side (issue 4: stub, live, direct).
  let bridge: CallInput["bridge"];
  if (flags.bridge !== undefined) {
    bridge = await checkBridgeName(flags.bridge, { passthrough: true });
    if (flags.bridgeDelay !== undefined) {
      const d = parseDuration(flags.bridgeDelay, "--bridge-delay");
      if (d > 60_000) throw new UsageError(`--bridge-delay: ${flags.bridgeDelay} is above 60s`);
      if (d > 0) bridge.downstreamDelayMs = d;
    }
  } else if (flags.bridgeDelay !== undefined) throw new UsageError("--bridge-delay needs --bridge");
  if (flags.greeting && flags.app !== undefined) throw new UsageError("--greeting applies to --bridge and --direct (your app decides whether it greets)");
  let realtime: RealtimeTarget | undefined;
  const rt = flags.realtime ?? (flags.app === undefined ? "stub" : undefined);
  if (rt === "opaque") {
    if (flags.app === undefined) throw new UsageError("--realtime opaque describes your app's own upstream: give --app");
    realtime = { kind: "opaque" };
  } else if (rt === "stub") {
    const port = flags.stubPort !== undefined ? parseInt10(flags.stubPort, "--stub-port", 0, 65535) : flags.app !== undefined ? 4020 : 0;
    realtime = { kind: "stub", port, script: flags.stubScript };
  } else if (rt !== undefined) {
    if (flags.app !== undefined) {
      throw new UsageError(`--realtime ${rt}: with --app your bridge connects to its own Realtime endpoint; use --realtime stub (or --bridge / --direct)`);
    }
    const url = parseRealtimeUrl(rt);
    const key = env.OPENAI_API_KEY?.trim() || undefined;
    if (!key && LIVE_HOST.test(url.hostname)) {
      throw new UsageError(`--realtime ${url.origin}${url.pathname}: live mode needs OPENAI_API_KEY in the environment (it is never printed or written)`);
    }
    realtime = { kind: "url", url: url.href, apiKey: () => key };
  }
  if (flags.stubPort !== undefined && realtime?.kind !== "stub") throw new UsageError("--stub-port needs the stub (--realtime stub)");
  if (flags.stubScript !== undefined && realtime?.kind !== "stub") throw new UsageError("--stub-script needs the stub (--realtime stub)");

  const settings: Partial<CarrierSettings> = {
    pacing: flags.fast ? "fast" : "realtime",
    initiateMethod: method,
    mediaFormat: mediaFormatOf(flags.l16),
    ...carrierFlagSettings(flags),
  };
  if (flags.callbackUser !== undefined) settings.callbackCreds = { username: flags.callbackUser, password: password ?? "" };
  Object.assign(settings, checkApplication(flags));
  const actions: CallAction[] = [];
  if (flags.hangupAt !== undefined) actions.push({ atMs: parseDuration(flags.hangupAt, "--hangup-at"), action: "hangup" });
  // --turns: a fixed 30 s cap would cut a long conversation short; allow 15 s a turn unless set.
  const maxDurationMs =
    flags.duration !== undefined ? parseDuration(flags.duration, "--duration") : turns !== undefined ? 10_000 + turns * 15_000 : 30_000;
  return {
    settings,
    appUrl,
    caller,
    dtmf: flags.dtmf,
    maxDurationMs,
    hangupAfterCallerMs: parseDuration(flags.hangupAfter, "--hangup-after"),
    lingerMs: flags.linger !== undefined ? parseDuration(flags.linger, "--linger") : 0,
    actions,
    from: flags.from ?? "+15557770100",
    to: flags.to ?? "+15557770199",
    out: flags.out,
    turns,
    realtime,
    bridge,
    direct: flags.direct || undefined,
    greeting: flags.greeting || undefined,
    outbound,
    machineDetection: machineResult(flags),
  };
}

/** An absolute http(s) URL, or a usage error naming the flag. */
function httpUrl(value: string, flag: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not an absolute URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`${flag}: ${value} must be http(s)`);
  return u.href;
}

const MACHINE_RESULTS: readonly MachineDetection["result"][] = ["human", "answering-machine", "tone-detected", "silence", "timeout", "error"];

/** `--outbound` and its flags (createCall's answerUrl, disconnectUrl, machineDetection). */
function checkOutbound(flags: CallFlags): OutboundInput | undefined {
  if (!flags.outbound) {
    const stray = [
      flags.answerUrl !== undefined && "--answer-url",
      flags.disconnectUrl !== undefined && "--disconnect-url",
      flags.machineDetectionMode !== undefined && "--machine-detection-mode",
      flags.machineDetectionUrl !== undefined && "--machine-detection-url",
    ].filter(Boolean);
    if (stray.length) throw new UsageError(`${stray.join(", ")} need${stray.length === 1 ? "s" : ""} --outbound (inbound calls: --app, --status-url)`);
    machineResult(flags); // without --outbound: what detection concludes on the calls the app creates
    return undefined;
  }
  if (flags.app !== undefined) throw new UsageError("--outbound calls the app at --answer-url; --app is the initiate URL of inbound calls");
  if (flags.answerUrl === undefined) throw new UsageError("--outbound needs --answer-url <url> (where the `answer` webhook goes, createCall's answerUrl)");
  if (flags.statusUrl !== undefined) throw new UsageError("--status-url is for inbound calls; an outbound call sends `disconnect` to --disconnect-url");
  const out: OutboundInput = {};
  if (flags.disconnectUrl !== undefined) out.disconnectUrl = httpUrl(flags.disconnectUrl, "--disconnect-url");
  const result = machineResult(flags);
  if (result !== undefined) {
    const mode = flags.machineDetectionMode ?? "async";
    if (mode !== "sync" && mode !== "async") throw new UsageError(`--machine-detection-mode: "${mode}" must be sync or async`);
    const callback = flags.machineDetectionUrl !== undefined ? httpUrl(flags.machineDetectionUrl, "--machine-detection-url") : undefined;
    if (mode === "async" && callback === undefined) {
      throw new UsageError("--machine-detection in async mode (Bandwidth's default) sends machineDetectionComplete to --machine-detection-url: give it, or --machine-detection-mode sync");
    }
    if (mode === "sync" && callback !== undefined) throw new UsageError("--machine-detection-url is for async mode; in sync mode the result travels in `answer`");
    out.machineDetection = { mode, result, durationMs: 1000, callback: callback ? { url: callback, method: "POST" } : undefined };
  } else if (flags.machineDetectionMode !== undefined || flags.machineDetectionUrl !== undefined) {
    throw new UsageError("--machine-detection-mode and --machine-detection-url need --machine-detection <result>");
  }
  return out;
}

/** `--machine-detection <result>`: what answering-machine detection concludes about the called parties. */
function machineResult(flags: CallFlags): MachineDetection["result"] | undefined {
  if (flags.machineDetection === undefined) return undefined;
  const result = flags.machineDetection as MachineDetection["result"];
  if (!MACHINE_RESULTS.includes(result)) throw new UsageError(`--machine-detection: "${flags.machineDetection}" is not one of ${MACHINE_RESULTS.join(", ")}`);
  return result;
}

/** `--account-id`, `--application-id`, `--status-url`: the application the app's own REST calls and webhooks name. */
function checkApplication(flags: CallFlags): Partial<CarrierSettings> {
  const s: Partial<CarrierSettings> = {};
  if (flags.accountId !== undefined) {
    if (!/^[\w.-]{1,64}$/.test(flags.accountId)) throw new UsageError(`--account-id: "${flags.accountId}" must be 1–64 letters, digits, '.', '_' or '-' (Bandwidth's are digits)`);
    s.accountId = flags.accountId;
  }
  if (flags.applicationId !== undefined) {
    if (!/^[\w.-]{1,128}$/.test(flags.applicationId)) throw new UsageError(`--application-id: "${flags.applicationId}" must be 1–128 letters, digits, '.', '_' or '-' (Bandwidth's are UUIDs)`);
    s.applicationId = flags.applicationId;
  }
  if (flags.statusUrl !== undefined) s.statusCallbackUrl = httpUrl(flags.statusUrl, "--status-url");
  return s;
}

/**
 * Run one call and present it: the live view while it runs, then latency, warnings, who ended the
 * call and the verdict (`json`: JSON lines and a final result line). `colors` paints the verdict.
 */
export async function runCall(input: CallInput, write: (s: string) => void, json = false, colors: Colors = pc.createColors(false)): Promise<CallRun> {
  const view = new LiveView(write, json);
  let r: CallRun;
  try {
    r = await run(input, { sink: { event: (e) => view.event(e), status: json ? undefined : (line) => write(line) }, interrupt: onSigint });
  } finally {
    view.flush();
  }
  view.finish();
  if (json) {
    write(
      escapeJsonControls(
        JSON.stringify({
          result: {
            callId: r.result.callId,
            direction: input.outbound ? "outbound" : "inbound",
            disconnectCause: r.result.disconnectCause,
            errorMessage: r.result.errorMessage,
            endedBy: r.endedBy,
            exitCode: r.exitCode,
            reason: r.reason,
            outDir: r.outDir,
            documents: r.result.documents.length,
            streams: r.result.streams.length,
            mode: r.mode,
            realtime: input.realtime?.kind === "url" ? "url" : input.realtime?.kind,
            warnings: r.warnings,
            latency: r.latency,
            otherCalls: r.others.map((c) => ({
              callId: c.result.callId,
              origin: c.origin,
              disconnectCause: c.result.disconnectCause,
              errorMessage: c.result.errorMessage,
              problem: c.problem,
              documents: c.result.documents.length,
              outDir: c.outDir,
            })),
          },
        }),
      ) + "\n",
    );
    return r;
  }
  if (r.latency) {
    const where = input.direct ? "direct mode: no bridge, the baseline" : r.stubSession ? "stub in-process: B = L − K" : "no stub record: L only";
    write(`\nlatency measured at the carrier (${where})${r.latencyUntrustworthy ? " — UNTRUSTWORTHY, see below" : ""}\n${formatCallLatency(r.latency)}\n`);
    if (input.direct && r.stubUrl) {
      // With no bridge, B is the harness's own hops: the calibration every run checks (src/run/calibration.ts).
      const cal = checkCalibration([r.latency]);
      write(`calibration (no bridge): ${cal.ok ? `ok: speech ends matched, no B below −${cal.toleranceMs} ms, median B within ${cal.toleranceMs} ms + loopback allowance, no E flag` : `OFF: ${cal.reason}`}\n`);
    }
  }
  for (const w of r.warnings) write(`\n${colors.yellow(`! ${escapeControls(w)}`)}\n`);
  const verdict = r.reason === undefined ? colors.green(r.others.length ? `✓ all ${r.others.length + 1} calls completed normally` : "✓ call completed normally") : colors.red(`✗ ${escapeControls(r.reason)}`);
  write(`\n${verdict}\n`);
  write(`  ended by: ${escapeControls(r.endedBy)}\n`);
  write(`  cause ${r.result.disconnectCause}; ${r.result.documents.length} BXML document(s); ${r.result.streams.length} stream(s); files in ${r.outDir}\n`);
  for (const c of r.others) {
    const mark = c.problem === undefined ? colors.green("✓") : colors.red("✗");
    const what = c.origin === "app" ? "created by the app" : "Transfer leg";
    write(`  ${mark} [${c.shortId}] ${what}: cause ${c.result.disconnectCause}; ${c.result.documents.length} BXML document(s); files in ${c.outDir}\n`);
  }
  return r;
}

export async function runCallCommand(flags: CallFlags): Promise<number> {
  const input = await checkFlags(flags);
  if (flags.waitForApp !== undefined && !input.appUrl) throw new UsageError("--wait-for-app needs --app (a bundled bridge is waited for anyway)");
  const waitMs = flags.waitForApp === undefined ? 0 : parseDuration(flags.waitForApp, "--wait-for-app");
  if (input.appUrl) await waitForApp(input.appUrl, { waitMs, onWait: (reason) => process.stderr.write(`bwemu: ${waitingLine(input.appUrl, waitMs, reason)}\n`) });
  const r = await runCall(input, (s) => process.stdout.write(s), flags.json, colorsFor(process.stdout));
  return r.exitCode;
}

// ---------- the live view ----------

type AnyData = Record<string, unknown>;

/** Turns timeline events into short lines; media frames are summarised once per second per stream. */
export class LiveView {
  private t0?: number;
  private lastT?: number;
  private lastDirectItem?: string;
  private window?: { startUs: number; out: Map<string, number>; inPlay: Map<string, number>; inOther: Map<string, number> };
  /** Findings and frame lines, rate-limited per kind (a flood prints a few lines, not one a frame). */
  private readonly limit = new LineLimiter();
  /** The call bwemu placed (the first created); other calls' lines carry their short id. */
  private primary?: string;
  /**
   * A warning or info finding shown once per call and code (the same Content-Type warning on every
   * document is one line, and a count at the end); errors always show. Keyed by call and code.
   */
  private readonly repeats = new Map<string, { first: AnyData; callId?: string; count: number }>();
  /** BXML diagnostics already shown per call (rule and message), so each document lists only new ones. */
  private readonly diagsSeen = new Set<string>();

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
    const d = e.data as AnyData;
    if (e.kind === "call.created" && this.primary === undefined) this.primary = String(d.callId);
    if (this.json) {
      if (e.kind === "ws.frame" && d.eventType === "media") return;
      if (this.limited(e, d) === undefined) return;
      this.write(escapeJsonControls(JSON.stringify(e)) + "\n");
      return;
    }
    if (e.kind === "finding" && this.repeated(e, d)) return;
    if (e.kind === "ws.frame") {
      const w = this.roll(e.t);
      const key = String(d.streamId);
      if (d.direction === "out") w.out.set(key, (w.out.get(key) ?? 0) + 1);
      else if (d.eventType === "playAudio") w.inPlay.set(key, (w.inPlay.get(key) ?? 0) + 1);
      else w.inOther.set(key, (w.inOther.get(key) ?? 0) + 1);
      if (d.eventType === "media" || d.eventType === "playAudio") return;
    }
    const line = this.describe(e, d);
    if (!line) return;
    const held = this.limited(e, d);
    if (held === undefined) return;
    this.write(`${this.ts(e.t)}  ${this.prefix(e.callId)}${escapeControls(line)}${held ? `  (+${held} like it not shown)` : ""}\n`);
  }

  /** `[c-1234abcd] ` on lines of calls other than the one bwemu placed. */
  private prefix(callId: string | undefined): string {
    return callId !== undefined && this.primary !== undefined && callId !== this.primary ? `[${shortCallId(callId)}] ` : "";
  }

  /** True when this warning/info finding repeats one already shown for the call (it is counted instead). */
  private repeated(e: TimelineEvent, d: AnyData): boolean {
    if (d.level === "error") return false;
    const key = `${e.callId ?? ""}\u0000${String(d.code)}`;
    const seen = this.repeats.get(key);
    if (!seen) {
      this.repeats.set(key, { first: d, callId: e.callId, count: 1 });
      return false;
    }
    seen.count++;
    return true;
  }

  /** Lines held back since the last one of its kind was shown; undefined: hold this one back too. */
  private limited(e: TimelineEvent, d: AnyData): number | undefined {
    const kind = e.kind === "finding" ? `finding ${d.code}` : e.kind === "ws.frame" ? `frame ${d.direction} ${d.eventType ?? "unparsed"}` : undefined;
    return kind === undefined ? 0 : this.limit.allow(kind, e.t);
  }

  /** At the end: how many lines of each rate-limited kind were not shown since the last one that was. */
  finish(): void {
    if (this.json) return;
    for (const [kind, n] of this.limit.drain()) this.write(`          … ${n} more ${kind} line(s) not shown (all are in timeline.jsonl)\n`);
    for (const r of this.repeats.values()) {
      if (r.count < 2) continue;
      const where = r.callId === undefined || r.callId === this.primary ? "on this call" : `on call ${shortCallId(r.callId)}`;
      this.write(`          … ${r.count - 1} more finding ${escapeControls(String(r.first.code))} line(s) not shown: one ${r.first.level} ×${r.count} ${where} (all are in timeline.jsonl)\n`);
    }
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
        return `call ${d.callId} ${d.direction} ${d.from} → ${d.to}${this.primary !== d.callId ? " (created by the app through the Voice API)" : ""}`;
      case "call.state":
        return `call ${d.state}${d.cause ? ` (cause ${d.cause}${d.errorMessage ? `: ${d.errorMessage}` : ""}${d.endedBy ? `; ended by ${d.endedBy}` : ""})` : ""}`;
      case "webhook.result":
        return `webhook ${d.eventType} ${d.method} ${d.url} → ${d.ok ? `${d.status}` : `FAILED: ${d.error}`}${Number(d.attempts) > 1 ? ` (${d.attempts} attempts${d.usedFallback ? ", fallback" : ""})` : ""}`;
      case "http.exchange":
        if (d.role === "rest-api") return `REST ${d.method} ${d.url} → ${d.status}`;
        if (d.role === "audio-fetch") return `fetch audio ${d.url} → ${d.status ?? d.error}`;
        return undefined;
      case "bxml.received": {
        const diags = (d.diagnostics as AnyData[]).filter((x) => x.level !== "info");
        // A diagnostic every document of the call repeats is listed on the first one only.
        const fresh = diags.filter((x) => x.level === "error" || !this.diagsSeen.has(`${e.callId}\u0000${x.ruleId}\u0000${x.message}`));
        for (const x of diags) this.diagsSeen.add(`${e.callId}\u0000${x.ruleId}\u0000${x.message}`);
        const again = diags.length - fresh.length;
        const listed = fresh.map((x) => `${x.level} ${x.ruleId} (line ${x.line}) ${x.message}`);
        if (again) listed.push(`${again} warning(s) as on the call's earlier documents`);
        return `BXML from ${d.url} ${d.accepted ? "accepted" : "REJECTED"}${listed.length ? `: ${listed.join("; ")}` : ""}`;
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
      case "direct.session":
        return `direct Realtime session ${d.phase}${d.phase === "connect" ? ` → ${d.url}` : ""}${d.code !== undefined ? ` (${d.code})` : ""}${d.error ? `: ${d.error}` : ""}`;
      case "direct.audio":
        if (d.event === "clear") return `♪ barge-in: direct session dropped ${d.droppedMs} ms of reply audio`;
        if (d.itemId === this.lastDirectItem) return undefined;
        this.lastDirectItem = String(d.itemId);
        return `♪ reply audio from the Realtime session (item ${d.itemId})`;
      case "direct.truncate":
        return `direct session truncated item ${d.itemId} at ${d.audioEndMs} ms (what the caller heard)`;
      default:
        return undefined;
    }
  }
}
