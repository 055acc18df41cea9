// `bwemu call --app URL --audio caller.wav`: place one call to an app and watch it live.
// Prints a readable timeline (verbs, webhooks with status, stream frames per second, audio played,
// findings), writes timeline.jsonl, caller.wav / heard.wav / per-stream WAVs, every BXML received and
// every recording (`--linger` keeps the Voice API up afterwards for apps that download recordings late).
// With caller speech it also prints the latency measured at the carrier (openai-realtime.md §12.3):
// `--turns N` scripts N utterances; `--realtime stub` runs the Realtime stub in-process (then bridge
// overhead B(n) is known); `--bridge` runs a bundled bridge as a child process; `--direct` connects
// the call's audio to the Realtime endpoint with no bridge (the baseline, issue 4 "Direct mode").
// Exit codes (exit.ts): 0 the call completed normally; 1 the app misbehaved (the reason is printed:
// disconnect cause, error findings or turns without a reply); 2 usage error (bad flag, unreadable
// WAV/script, missing or refused OPENAI_API_KEY); 3 bwemu bug.

import { mkdir, writeFile } from "node:fs/promises";
import { writeChunks } from "../../reports/write.js";
import { callLateness, dropNotice, missingBxml, pacingWarning } from "../run/call-checks.js";
import { LineLimiter } from "../run/line-limit.js";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { Carrier } from "../../emulator/call/carrier.js";
import type { CallAction, CallerAudio, CallerUtterance, CallResult, CarrierSettings } from "../../emulator/call/types.js";
import { connectDirect, startDirectAnswerApp } from "../../emulator/direct/answer.js";
import "../../emulator/direct/events.js";
import { checkCalibration, computeCallLatency, formatCallLatency, type CallLatency } from "../../emulator/latency/index.js";
import { CallerAudioError, readCallerScriptFile } from "../../emulator/media/caller-script.js";
import { readWavFile, WavError, writeWav } from "../../emulator/media/wav.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";
import { ScriptError, type StubScript } from "../../emulator/realtime/script.js";
import type { RealtimeStub } from "../../emulator/realtime/server.js";
import { startRealtimeStubForRun } from "../../emulator/realtime/thread.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import { escapeControls, escapeJsonControls } from "../../emulator/text/escape.js";
import { spawnMeasurementBridge, type MeasurementBridge } from "../../fixtures/bridges/passthrough/process.js";
import { lingerAfterCall, writeRecordings } from "../run/recordings.js";
import { EXIT, UsageError } from "./exit.js";
import { checkBridgeName } from "./bridges.js";
import { parseDuration, parseInt10 } from "./parse.js";
import { waitForApp, waitingLine } from "../run/app-ready.js";
import { carrierFlagSettings, type CarrierFlags } from "./carrier-flags.js";

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
}

export interface CallInput {
  settings: Partial<CarrierSettings>;
  /** The app's initiate URL; empty when `bridge` or `direct` provides the app. */
  appUrl: string;
  caller: CallerAudio;
  dtmf?: string;
  maxDurationMs: number;
  hangupAfterCallerMs: number;
  actions: CallAction[];
  from: string;
  to: string;
  out?: string;
  /** `--linger`: how long the Voice API stays up after the call (recording downloads); 0 = not at all. */
  lingerMs?: number;
  /** `--turns N`: the number of scripted caller utterances (the caller script is `caller`). */
  turns?: number;
  /** The Realtime side bwemu provides or connects to; absent: the app's own business. */
  realtime?: RealtimeTarget;
  /** `--bridge`: a bundled bridge run as a child process (pointed at `realtime`). */
  bridge?: { kind: "reference" | "passthrough"; fault?: string; downstreamDelayMs?: number };
  /** `--direct`: no bridge; the carrier answers and connects the call's audio to `realtime`. */
  direct?: boolean;
  /** `--greeting`: the bundled bridge / direct session speaks first. */
  greeting?: boolean;
}

export type RealtimeTarget =
  | { kind: "stub"; port: number; script?: string | StubScript }
  /** `apiKey` is a function so the key never serialises (JSON, util.inspect of the input). */
  | { kind: "url"; url: string; apiKey: () => string | undefined };

/**
 * The fixture speech `--turns` cycles through (fixtures/audio/README.md), μ-law 8 kHz so PCMU is
 * bit-exact. Not speech-cancel: its 210 ms pause after "Wait," is two utterances to a VAD with the
 * live 200 ms silence_duration_ms, which would make the stub's turn count disagree with the carrier's.
 */
export const TURN_FIXTURES = ["speech-hello.8k-mulaw.wav", "speech-order.8k-mulaw.wav", "speech-long.8k-mulaw.wav"];
const AUDIO_DIR = fileURLToPath(new URL("../../fixtures/audio/", import.meta.url));

/**
 * N utterances, each after the previous reply has played (openai-realtime.md §12.3.4 after-reply). The
 * first waits up to 3 s for a greeting (like fixtures/audio/conversation.json); the tail leaves time
 * for the last reply to arrive and play.
 */
export function turnsScript(n: number, fixtures: readonly string[] = TURN_FIXTURES.map((f) => join(AUDIO_DIR, f))): CallerAudio {
  const script: CallerUtterance[] = [];
  for (let i = 0; i < n; i++) {
    script.push({ wav: fixtures[i % fixtures.length], silenceBeforeMs: 300, start: i === 0 ? { kind: "after-reply", timeoutMs: 3000 } : { kind: "after-reply" } });
  }
  return { script, tailSilenceMs: 2500 };
}

/** Hosts that need OPENAI_API_KEY (live mode). Other URLs get the key when it is set. */
const LIVE_HOST = /(^|\.)openai\.com$/i;

/** Flags → a checked call description; throws UsageError with the reason. */
export async function checkFlags(flags: CallFlags, env: NodeJS.ProcessEnv = process.env): Promise<CallInput> {
  const modes = [flags.app !== undefined && "--app", flags.bridge !== undefined && "--bridge", flags.direct && "--direct"].filter(Boolean);
  if (modes.length === 0) throw new UsageError("give --app <url>, --bridge <name> or --direct");
  if (modes.length > 1) throw new UsageError(`${modes.join(" and ")} exclude each other: give one`);
  let appUrl = "";
  if (flags.app !== undefined) {
    let app: URL;
    try {
      app = new URL(flags.app);
    } catch {
      throw new UsageError(`--app: "${flags.app}" is not an absolute URL`);
    }
    if (app.protocol !== "http:" && app.protocol !== "https:") throw new UsageError(`--app: ${flags.app} must be http(s)`);
    appUrl = app.href;
  }
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
      caller = turnsScript(turns);
      if ("script" in caller) for (const u of caller.script.slice(0, TURN_FIXTURES.length)) await readWavFile(u.wav);
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
  if (rt === "stub") {
    const port = flags.stubPort !== undefined ? parseInt10(flags.stubPort, "--stub-port", 0, 65535) : flags.app !== undefined ? 4020 : 0;
    realtime = { kind: "stub", port, script: flags.stubScript };
  } else if (rt !== undefined) {
    if (flags.app !== undefined) {
      throw new UsageError(`--realtime ${rt}: with --app your bridge connects to its own Realtime endpoint; use --realtime stub (or --bridge / --direct)`);
    }
    let url: URL;
    try {
      url = new URL(rt);
    } catch {
      throw new UsageError(`--realtime: "${rt}" is neither \`stub\` nor an absolute ws(s):// URL`);
    }
    if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new UsageError(`--realtime: ${rt} must be ws:// or wss:// (or \`stub\`)`);
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
    mediaFormat: flags.l16 ? { encoding: "L16", sampleRate: 16000 } : { encoding: "PCMU", sampleRate: 8000 },
    ...carrierFlagSettings(flags),
  };
  if (flags.callbackUser !== undefined) settings.callbackCreds = { username: flags.callbackUser, password: password ?? "" };
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
  };
}

export interface CallRun {
  result: CallResult;
  exitCode: number;
  reason?: string;
  outDir: string;
  /** Latency at the carrier (openai-realtime.md §12.3), when the caller spoke. */
  latency?: CallLatency;
  /** The in-process stub's record of the session that served the call (`--realtime stub`). */
  stubSession?: StubSessionRecord;
}

/** Remove any trace of the key (and of anything shaped like one) from a message shown to the user. */
export function redactKey(text: string, key: string | undefined): string {
  let out = key ? text.split(key).join("[redacted]") : text;
  out = out.replace(/\bsk-[A-Za-z0-9_*.-]{4,}/g, "sk-[redacted]");
  return out;
}

/**
 * Live mode: check the endpoint accepts the key before placing the call, so a refused key is a clear
 * usage error rather than a call whose bridge silently fails upstream. Opens one session (waits for
 * `session.created`) and closes it.
 */
export async function checkRealtimeEndpoint(url: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<void> {
  const target = new URL(url);
  if (!target.searchParams.has("model")) target.searchParams.set("model", "gpt-realtime");
  const shown = `${target.origin}${target.pathname}`;
  const problem = await new Promise<string | undefined>((resolveP) => {
    const ws = new WebSocket(target, { headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {} });
    let settled = false;
    const done = (p: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveP(p);
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    };
    const timer = setTimeout(() => done(`no session.created within ${timeoutMs} ms`), timeoutMs);
    ws.on("unexpected-response", (_req, res) => {
      res.resume();
      done(`HTTP ${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ""}`);
    });
    ws.on("message", (data) => {
      let ev: { type?: unknown; error?: { code?: unknown; message?: unknown } };
      try {
        ev = JSON.parse(data.toString());
      } catch {
        return done("the first frame was not JSON");
      }
      if (ev.type === "session.created") done(undefined);
      else if (ev.type === "error") done(`error ${String(ev.error?.code ?? "")}: ${String(ev.error?.message ?? "")}`.trim());
    });
    ws.on("close", (code) => done(`closed (${code}) before session.created`));
    ws.on("error", (e) => done(e.message));
  });
  if (problem !== undefined) {
    const hint = apiKey ? " (check OPENAI_API_KEY)" : "";
    throw new UsageError(redactKey(`the Realtime endpoint ${shown} refused the session: ${problem}${hint}`, apiKey));
  }
}

/** The stub session that served the call: the one with the most detected turns (a bridge may reconnect). */
function servingSession(stub: RealtimeStub): StubSessionRecord | undefined {
  const all = stub.sessions();
  let best: StubSessionRecord | undefined;
  for (const s of all) if (!best || s.turns.length > best.turns.length) best = s;
  return best;
}

/** Run one call; `write` receives the live view. */
export async function runCall(input: CallInput, write: (s: string) => void, json = false): Promise<CallRun> {
  const cleanup: (() => Promise<void>)[] = [];
  try {
    return await runCallInner(input, write, json, cleanup);
  } finally {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  }
}

async function runCallInner(input: CallInput, write: (s: string) => void, json: boolean, cleanup: (() => Promise<void>)[]): Promise<CallRun> {
  // 1. The Realtime side.
  let stub: RealtimeStub | undefined;
  let realtimeUrl: string | undefined;
  let apiKey: string | undefined;
  if (input.realtime?.kind === "stub") {
    try {
      stub = await startRealtimeStubForRun({ port: input.realtime.port, script: input.realtime.script });
    } catch (e) {
      if (e instanceof ScriptError) throw new UsageError(`--stub-script: ${e.message}`);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE" || code === "EACCES") throw new UsageError(`--stub-port ${input.realtime.port}: cannot listen (${code})`);
      throw e;
    }
    cleanup.push(() => stub!.close());
    realtimeUrl = stub.url;
    if (!json) write(`Realtime stub at ${stub.url} (in-process${input.appUrl ? "; point your bridge's upstream here" : ""})\n`);
  } else if (input.realtime?.kind === "url") {
    realtimeUrl = input.realtime.url;
    apiKey = input.realtime.apiKey();
    await checkRealtimeEndpoint(realtimeUrl, apiKey);
  }

  // 2. The app: the user's, a bundled bridge (child process), or direct mode's built-in answer.
  let appUrl = input.appUrl;
  if (input.bridge) {
    let bridge: MeasurementBridge;
    try {
      bridge = await spawnMeasurementBridge({
        kind: input.bridge.kind,
        fault: input.bridge.fault,
        downstreamDelayMs: input.bridge.downstreamDelayMs,
        realtimeUrl: realtimeUrl!,
        apiKey,
        greeting: input.greeting,
      });
    } catch (e) {
      throw new Error(`the bundled bridge did not start: ${redactKey((e as Error).message, apiKey)}`);
    }
    cleanup.push(() => bridge.close());
    appUrl = bridge.url;
    const what = `${input.bridge.fault ?? input.bridge.kind}${input.bridge.downstreamDelayMs ? ` +${input.bridge.downstreamDelayMs} ms downstream` : ""}`;
    if (!json) write(`bridge ${what} (pid ${bridge.pid}) at ${bridge.url}\n`);
  } else if (input.direct) {
    const app = await startDirectAnswerApp(input.maxDurationMs / 1000);
    cleanup.push(() => app.close());
    appUrl = app.url;
  }

  // 3. The call.
  const carrier = new Carrier({ settings: input.settings });
  const { apiBaseUrl } = await carrier.listen(0);
  cleanup.push(() => carrier.close());
  const view = new LiveView(write, json);
  const unsubscribe = carrier.timeline.subscribe((e) => view.event(e));
  const mode = input.direct ? `direct → ${realtimeUrl}` : appUrl;
  if (!json) write(`bwemu call → ${mode}  (Voice API at ${apiBaseUrl}, ${input.settings.pacing} pacing)\n`);
  const stopSignal = () => handle.hangup();
  const handle = carrier.placeCall({
    appUrl,
    from: input.from,
    to: input.to,
    caller: input.caller,
    dtmf: input.dtmf,
    maxDurationMs: input.maxDurationMs,
    hangupAfterCallerMs: input.caller && !("silence" in input.caller) ? input.hangupAfterCallerMs : undefined,
    actions: input.actions,
  });
  let directError: string | undefined;
  if (input.direct) {
    // A session that fails (refused, dropped) ends the call: there is nothing else on the line.
    let callEnded = false;
    void handle.done.then(
      () => (callEnded = true),
      () => (callEnded = true),
    );
    const off = carrier.timeline.subscribe((e) => {
      if (callEnded || e.kind !== "direct.session" || e.callId !== handle.callId) return;
      const d = (e as TimelineEvent<"direct.session">).data;
      if (d.phase === "error" && directError === undefined) {
        directError = `the direct Realtime session failed: ${redactKey(d.error ?? "unknown error", apiKey)}`;
        handle.hangup();
      } else if (d.phase === "close" && directError === undefined && d.code !== 1000) {
        directError = `the Realtime endpoint closed the direct session (${d.code})`;
        handle.hangup();
      }
    });
    cleanup.push(async () => off());
    const call = carrier.calls.get(handle.callId);
    if (call) {
      void connectDirect(call, {
        callId: handle.callId,
        timeline: carrier.timeline,
        realtimeUrl: realtimeUrl!,
        apiKey,
        greeting: input.greeting,
      }).catch((e: unknown) => {
        directError = `direct mode could not start: ${redactKey((e as Error).message, apiKey)}`;
        handle.hangup();
      });
    }
  }
  process.once("SIGINT", stopSignal);
  let result: CallResult;
  try {
    result = await handle.done;
  } finally {
    process.removeListener("SIGINT", stopSignal);
  }
  const stopLingerLog = carrier.timeline.subscribe((e) => e.callId === result.callId && result.timeline.events.push(e)); // downloads while lingering
  await lingerAfterCall({ ms: input.lingerMs ?? 0, apiBaseUrl, write: json ? undefined : write });
  stopLingerLog();
  view.flush();
  view.finish();
  unsubscribe();
  const call = carrier.calls.get(handle.callId)!;

  // 4. Latency at the carrier (§12.3), with the stub's own turn stamps when it ran in-process.
  let latency: CallLatency | undefined;
  await stub?.sync();
  const stubSession = stub ? servingSession(stub) : undefined;
  // Only in real time: with --fast, frame times say nothing about what a caller would hear.
  if (!("silence" in input.caller) && input.settings.pacing !== "fast") latency = computeCallLatency(result.timeline, result.callId, stubSession);

  const outDir = resolve(input.out ?? join("bwemu-out", handle.callId));
  await mkdir(outDir, { recursive: true });
  await writeChunks(join(outDir, "timeline.jsonl"), result.timeline.jsonLines());
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
  // bwemu's own lateness (an overloaded machine, or an app whose traffic blocked the event loop)
  // makes every figure measured at the carrier untrustworthy: said on every output.
  const late = input.settings.pacing === "fast" ? undefined : pacingWarning(callLateness(result.timeline, result.callId));
  const warnings = [late, dropNotice(result.timeline.dropSummary())].filter((w): w is string => w !== undefined);
  await writeRecordings(carrier.recordings, outDir);
  if (latency) await writeFile(join(outDir, "latency.json"), JSON.stringify(late ? { untrustworthy: late, ...latency } : latency, null, 2) + "\n");

  const errors = result.timeline.events.filter((e) => e.kind === "finding" && (e.data as { level: string }).level === "error");
  // A turn without a reply fails the run only when a conversation was asked for (an IVR that never
  // answers speech is not misbehaving on a plain --audio call).
  const conversation = input.turns !== undefined || input.realtime !== undefined;
  const failedTurns = conversation ? (latency?.turns.filter((t) => t.failure !== undefined) ?? []) : [];
  let reason: string | undefined;
  const noBxml = input.direct ? undefined : missingBxml(result);
  if (directError !== undefined) reason = directError;
  else if (result.disconnectCause !== "hangup") reason = `the call ended with cause ${result.disconnectCause}${result.errorMessage ? `: ${result.errorMessage}` : ""}`;
  else if (noBxml !== undefined) reason = noBxml;
  else if (errors.length) reason = `${errors.length} error finding(s): ${errors.map((e) => (e.data as { message: string }).message).join("; ")}`;
  else if (failedTurns.length) reason = `${failedTurns.length} of ${latency!.turns.length} turn(s) failed: ${failedTurns.map((t) => `turn ${t.index} ${t.failure}`).join(", ")}`;
  const normal = reason === undefined;
  const exitCode = normal ? EXIT.OK : EXIT.FINDINGS;
  if (json) {
    write(
      escapeJsonControls(JSON.stringify({
        result: {
          callId: result.callId,
          disconnectCause: result.disconnectCause,
          errorMessage: result.errorMessage,
          exitCode,
          reason,
          outDir,
          documents: result.documents.length,
          streams: result.streams.length,
          mode: input.direct ? "direct" : input.bridge ? "bridge" : "app",
          realtime: input.realtime?.kind === "url" ? "url" : input.realtime?.kind,
          warnings,
          latency,
        },
      })) + "\n",
    );
  } else {
    if (latency) {
      const where = input.direct ? "direct mode: no bridge, the baseline" : stub ? "stub in-process: B = L − K" : "no stub record: L only";
      write(`\nlatency measured at the carrier (${where})${late ? " — UNTRUSTWORTHY, see below" : ""}\n${formatCallLatency(latency)}\n`);
      if (input.direct && stub) {
        // With no bridge, B is the harness's own hops: the calibration every run checks (src/run/calibration.ts).
        const cal = checkCalibration([latency]);
        write(`calibration (no bridge): ${cal.ok ? `ok: speech ends matched, no B below −${cal.toleranceMs} ms, median B within ${cal.toleranceMs} ms + loopback allowance, no E flag` : `OFF: ${cal.reason}`}\n`);
      }
    }
    for (const w of warnings) write(`\n! ${escapeControls(w)}\n`);
    write(`\n${normal ? "✓ call completed normally" : `✗ ${escapeControls(reason ?? "")}`}\n`);
    write(`  cause ${result.disconnectCause}; ${result.documents.length} BXML document(s); ${result.streams.length} stream(s); files in ${outDir}\n`);
  }
  return { result, exitCode, reason, outDir, latency, stubSession };
}

export async function runCallCommand(flags: CallFlags): Promise<number> {
  const input = await checkFlags(flags);
  if (flags.waitForApp !== undefined && !input.appUrl) throw new UsageError("--wait-for-app needs --app (a bundled bridge is waited for anyway)");
  const waitMs = flags.waitForApp === undefined ? 0 : parseDuration(flags.waitForApp, "--wait-for-app");
  if (input.appUrl) await waitForApp(input.appUrl, { waitMs, onWait: (reason) => process.stderr.write(`bwemu: ${waitingLine(input.appUrl, waitMs, reason)}\n`) });
  const run = await runCall(input, (s) => process.stdout.write(s), flags.json);
  return run.exitCode;
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
    if (this.json) {
      if (e.kind === "ws.frame" && d.eventType === "media") return;
      if (this.limited(e, d) === undefined) return;
      this.write(escapeJsonControls(JSON.stringify(e)) + "\n");
      return;
    }
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
    this.write(`${this.ts(e.t)}  ${escapeControls(line)}${held ? `  (+${held} like it not shown)` : ""}\n`);
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
