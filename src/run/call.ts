// One `bwemu call` run as a library: the Realtime side (stub in-process, a live endpoint, or the
// app's own business), the app (the user's, a bundled bridge in a child process, or direct mode's
// built-in answer), one call placed inbound (`initiate`) or outbound (`answer`, as REST createCall
// places it, bandwidth.md §6.3, §7.3), every call the app itself creates through the Voice REST API
// while it runs, the judgement of each call, and the files. No flags and no terminal: src/cli/call.ts
// parses flags into a CallInput and presents what the CallSink is told and the CallRun returned.
// With caller speech it measures latency at the carrier (openai-realtime.md §12.3).

import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import WebSocket from "ws";
import { Carrier } from "../../emulator/call/carrier.js";
import type { Clock } from "../../emulator/clock.js";
import type { CallAction, CallerAudio, CallResult, CarrierSettings, EndedBy, MachineDetection, PlaceCallOptions } from "../../emulator/call/types.js";
import type { CallAudio } from "../../emulator/call/media.js";
import { connectDirect, startDirectAnswerApp } from "../../emulator/direct/answer.js";
import "../../emulator/direct/events.js";
import type { CallLatency } from "../../emulator/latency/index.js";
import { latencyOf } from "../../suites/latency/observe.js";
import { writeWav } from "../../emulator/media/wav.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";
import { ScriptError, type StubScript } from "../../emulator/realtime/script.js";
import type { RealtimeStub } from "../../emulator/realtime/server.js";
import { startRealtimeStubForRun } from "../../emulator/realtime/thread.js";
import type { TimelineEvent } from "../../emulator/timeline.js";
import { spawnMeasurementBridge, type MeasurementBridge } from "../../fixtures/bridges/passthrough/process.js";
import { writeChunks } from "../../reports/write.js";
import { EXIT, UsageError } from "../exit.js";
import { callLateness, dropNotice, endedWith, errorFindings, findingsProblem, missingBxml, pacingWarning, turnsProblem } from "./call-checks.js";
import { lingerAfterCall, writeRecordings, type Interrupt } from "./recordings.js";
import { outboundCall, type OutboundTargets } from "./outbound.js";

export interface CallInput {
  settings: Partial<CarrierSettings>;
  /** The app's initiate URL (inbound) or answer URL (outbound); empty when `bridge` or `direct` provides the app. */
  appUrl: string;
  /** The caller's audio; on an outbound call, what the called party says. */
  caller: CallerAudio;
  dtmf?: string;
  /** bwemu's limit on each call's duration (`--duration`); every call of the run, app-created ones too. */
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
  /** `--outbound`: the carrier places the call to the app's number as createCall would: `answer` to `appUrl`. */
  outbound?: OutboundInput;
  /** What answering-machine detection concludes on the calls the app creates with `machineDetection` (default human). */
  machineDetection?: MachineDetection["result"];
}

/** createCall's `disconnectUrl`, `machineDetection` (with the result the detector reaches) and the ringing before the answer. */
export type OutboundInput = OutboundTargets;

export type RealtimeTarget =
  | { kind: "stub"; port: number; script?: string | StubScript }
  /** `apiKey` is a function so the key never serialises (JSON, util.inspect of the input). */
  | { kind: "url"; url: string; apiKey: () => string | undefined }
  /** `--app` with `--realtime opaque`: the app's upstream is its own (any model or bot); a conversation is expected. */
  | { kind: "opaque" };

/** Where a run's live progress goes: every timeline event of every call, and lines about the run itself. */
export interface CallSink {
  /** A timeline event as it is recorded (all calls of the run, and the REST requests of none). */
  event?(e: TimelineEvent): void;
  /** A line about the run (stub ready, bridge started, the Voice API lingering), newline-terminated. */
  status?(line: string): void;
}

export interface RunCallOptions {
  sink?: CallSink;
  /** The carrier's clock (default: the real one). */
  clock?: Clock;
  /** How an interrupt (Ctrl-C) reaches the run: called with what to do, returns its removal. */
  interrupt?: Interrupt;
}

/** A call of the run besides the one bwemu placed: created by the app (REST createCall) or a Transfer leg. */
export interface OtherCall {
  result: CallResult;
  /** `app`: created by the app through the Voice API (createCall); `leg`: a Transfer leg of a call. */
  origin: "app" | "leg";
  /** `c-` and the first 8 hex digits: how live lines and files name it. */
  shortId: string;
  /** Why this call did not complete normally; undefined when it did. */
  problem?: string;
  /** Where its files are. */
  outDir: string;
}

export interface CallRun {
  /** The call bwemu placed. */
  result: CallResult;
  /** Every other call of the run, in the order they started. */
  others: OtherCall[];
  exitCode: number;
  /** Why the run did not complete normally (the placed call's problem first, then the others'). */
  reason?: string;
  /** Who or what ended the placed call, as a sentence (the real reason: bwemu's limit, the caller's script, the app…). */
  endedBy: string;
  outDir: string;
  apiBaseUrl: string;
  mode: "app" | "bridge" | "direct";
  /** Untrustworthy pacing, timeline caps: said on every output. */
  warnings: string[];
  /** Latency at the carrier (openai-realtime.md §12.3), when the caller spoke. */
  latency?: CallLatency;
  /** True when `latency` was measured with bwemu's pacing late. */
  latencyUntrustworthy?: boolean;
  /** The in-process stub's record of the session that served the call (`--realtime stub`). */
  stubSession?: StubSessionRecord;
  /** The in-process stub's URL, when one ran. */
  stubUrl?: string;
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
  let best: StubSessionRecord | undefined;
  for (const s of stub.sessions()) if (!best || s.turns.length > best.turns.length) best = s;
  return best;
}

/** How `bwemu call` names a call in live lines and folders. */
export function shortCallId(callId: string): string {
  return callId.slice(0, 10);
}

/** Causes with which a call the app created ended normally: a hang-up, or a far end that did not take the call. */
const OTHER_CALL_NORMAL = new Set(["hangup", "cancel", "busy", "timeout", "rejected"]);

/** Who or what ended a call, as the sentence a report prints. */
export function describeEnd(r: CallResult, o: { direction: "inbound" | "outbound"; maxDurationMs: number; hangupAfterCallerMs?: number }): string {
  const party = o.direction === "outbound" ? "the called party" : "the caller";
  const by: EndedBy | undefined = r.endedBy;
  switch (by) {
    case "duration-limit":
      return `bwemu's call duration limit of ${formatMs(o.maxDurationMs)} ended the call (bwemu's limit, not Bandwidth's; raise it with --duration)`;
    case "caller-audio-done":
      return `${party} hung up ${formatMs(o.hangupAfterCallerMs ?? 0)} after its audio ended (--hangup-after)`;
    case "caller-scripted":
      return `${party} hung up as scripted (--hangup-at)`;
    case "caller":
      return `${party} hung up (interrupted)`;
    case "far-end":
      return "the called party hung up or did not take the call";
    case "rest-api":
      return "the app hung up through the Voice API (updateCall state=completed)";
    case "carrier":
      return `the carrier ended the call (cause ${r.disconnectCause})`;
    case "app":
      return r.disconnectCause === "hangup" ? "the app ended the call (<Hangup> or the end of its BXML)" : `the app's BXML ended the call (cause ${r.disconnectCause})`;
    default:
      return `cause ${r.disconnectCause}`;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}

/** Run one call (and every call the app creates meanwhile); the sink receives the live view. */
export async function runCall(input: CallInput, o: RunCallOptions = {}): Promise<CallRun> {
  const cleanup: (() => Promise<void>)[] = [];
  try {
    return await runCallInner(input, o, cleanup);
  } finally {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  }
}

async function runCallInner(input: CallInput, o: RunCallOptions, cleanup: (() => Promise<void>)[]): Promise<CallRun> {
  const status = (line: string) => o.sink?.status?.(line);
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
    status(`Realtime stub at ${stub.url} (in-process${input.appUrl ? "; point your bridge's upstream here" : ""})\n`);
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
    status(`bridge ${what} (pid ${bridge.pid}) at ${bridge.url}\n`);
  } else if (input.direct) {
    const app = await startDirectAnswerApp(input.maxDurationMs / 1000);
    cleanup.push(() => app.close());
    appUrl = app.url;
  }

  // 3. The calls. bwemu's duration limit applies to every call of the run, app-created ones too.
  const carrier = new Carrier({ settings: { maxCallDurationMs: input.maxDurationMs, ...input.settings }, clock: o.clock });
  if (input.machineDetection) carrier.farEnds["*"] = { outcome: "answer", ringMs: 500, machineDetection: input.machineDetection };
  const { apiBaseUrl } = await carrier.listen(0);
  cleanup.push(() => carrier.close());
  const unsubscribe = o.sink?.event ? carrier.timeline.subscribe((e) => o.sink!.event!(e)) : () => undefined;
  cleanup.push(async () => unsubscribe());
  const mode = input.direct ? `direct → ${realtimeUrl}` : appUrl;
  const how = input.outbound ? "outbound call, answer" : "inbound call, initiate";
  status(`bwemu call → ${mode}  (${how}; Voice API at ${apiBaseUrl}, ${carrier.settings.pacing} pacing)\n`);
  const hangupAfterCallerMs = input.caller && !("silence" in input.caller) ? input.hangupAfterCallerMs : undefined;
  const callOptions = {
    appUrl,
    caller: input.caller,
    dtmf: input.dtmf,
    maxDurationMs: input.maxDurationMs,
    hangupAfterCallerMs,
    actions: input.actions,
  };
  const handle = input.outbound ? placeOutbound(carrier, input, input.outbound, callOptions) : carrier.placeCall({ ...callOptions, from: input.from, to: input.to });
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
  // An interrupt hangs up every call of the run (the app's own calls too).
  const hangupAll = () => {
    for (const c of carrier.calls.values()) if (!c.ended) c.hangup(c.id === handle.callId ? undefined : "bwemu interrupted", "caller");
  };
  const stopInterrupt = o.interrupt?.(hangupAll);
  let placed: CallResult;
  try {
    placed = await handle.done;
    // Calls the app created are waited for too (each is bounded by the duration limit).
    while ([...carrier.calls.values()].some((c) => !c.ended)) await Promise.all([...carrier.calls.values()].map((c) => c.done));
  } finally {
    stopInterrupt?.();
  }
  await lingerAfterCall({ ms: input.lingerMs ?? 0, apiBaseUrl, write: o.sink?.status, interrupt: o.interrupt });
  // A call the app created while the Voice API lingered ends with the run (its result is then final).
  const late = [...carrier.calls.values()].filter((c) => !c.ended);
  for (const c of late) c.hangup("bwemu call is over", "carrier");
  await Promise.all(late.map((c) => c.done));
  // After the linger: the call's own events again, now with the downloads (appended, capped and
  // scrubbed by the carrier's timeline like every other event).
  const result: CallResult = { ...placed, timeline: carrier.timeline.slice(placed.callId) };

  // 4. Latency at the carrier (§12.3), with the stub's own turn stamps when it ran in-process.
  let latency: CallLatency | undefined;
  await stub?.sync();
  const stubSession = stub ? servingSession(stub) : undefined;
  // Only in real time: with --fast, frame times say nothing about what a caller would hear.
  const fast = carrier.settings.pacing === "fast";
  // The suite's reading: a bridge that mangles the caller's audio leaves turns unmeasured, not harness errors.
  if (!("silence" in input.caller) && !fast) latency = latencyOf({ call: result, sessions: stubSession ? [stubSession] : [] });

  // 5. Files: the whole run's timeline, then each call's audio, streams and BXML.
  const outDir = resolve(input.out ?? join("bwemu-out", handle.callId));
  await mkdir(outDir, { recursive: true });
  await writeChunks(join(outDir, "timeline.jsonl"), carrier.timeline.jsonLines());
  await writeCallFiles(outDir, result, carrier.calls.get(result.callId)?.audio);
  const others: OtherCall[] = [];
  for (const [id, call] of carrier.calls) {
    if (id === result.callId) continue;
    const r = carrier.slice(call.result());
    const dir = join(outDir, id.replace(/[^\w.-]+/g, "_"));
    await mkdir(dir, { recursive: true });
    await writeChunks(join(dir, "timeline.jsonl"), r.timeline.jsonLines());
    await writeCallFiles(dir, r, call.audio);
    others.push({ result: r, origin: r.label === "createCall" ? "app" : "leg", shortId: shortCallId(id), problem: otherCallProblem(r), outDir: dir });
  }
  // bwemu's own lateness (an overloaded machine, or an app whose traffic blocked the event loop)
  // makes every figure measured at the carrier untrustworthy: said on every output.
  const lateness = fast ? undefined : pacingWarning(callLateness(result.timeline, result.callId));
  const warnings = [lateness, dropNotice(carrier.timeline.dropSummary())].filter((w): w is string => w !== undefined);
  await writeRecordings(carrier.recordings, outDir);
  if (latency) await writeFile(join(outDir, "latency.json"), JSON.stringify(lateness ? { untrustworthy: lateness, ...latency } : latency, null, 2) + "\n");

  // 6. The verdict: the placed call first, then the calls the app created.
  // A turn without a reply fails the run only when a conversation was asked for (an IVR that never
  // answers speech is not misbehaving on a plain --audio call).
  const conversation = input.turns !== undefined || input.realtime !== undefined;
  let reason: string | undefined;
  if (directError !== undefined) reason = directError;
  else if (result.disconnectCause !== "hangup") reason = `the call ${endedWith(result)}`;
  else reason = (input.direct ? undefined : missingBxml(result)) ?? findingsProblem(errorFindings(result)) ?? (conversation ? turnsProblem(latency) : undefined);
  const otherProblems = others.filter((c) => c.problem !== undefined).map((c) => `call ${c.shortId} (${c.origin === "app" ? "created by the app" : "a Transfer leg"}): ${c.problem}`);
  if (otherProblems.length) reason = [reason, ...otherProblems].filter(Boolean).join("; ");
  const endedBy = describeEnd(result, { direction: input.outbound ? "outbound" : "inbound", maxDurationMs: input.maxDurationMs, hangupAfterCallerMs });
  return {
    result,
    others,
    exitCode: reason === undefined ? EXIT.OK : EXIT.FINDINGS,
    reason,
    endedBy,
    outDir,
    apiBaseUrl,
    mode: input.direct ? "direct" : input.bridge ? "bridge" : "app",
    warnings,
    latency,
    latencyUntrustworthy: lateness !== undefined || undefined,
    stubSession,
    stubUrl: stub?.url,
  };
}

/** The placed call on an outbound run: what createCall with this answer URL would start (§7.3). */
function placeOutbound(carrier: Carrier, input: CallInput, out: OutboundInput, options: PlaceCallOptions) {
  return carrier.placeOutbound(outboundCall(carrier.settings, { ...options, from: input.from, to: input.to, label: "outbound" }, out, carrier.clock.wallNow()));
}

/** Why a call the app created did not complete normally; undefined when it did. */
function otherCallProblem(r: CallResult): string | undefined {
  if (!OTHER_CALL_NORMAL.has(r.disconnectCause)) return endedWith(r);
  return findingsProblem(errorFindings(r));
}

/** One call's caller/heard WAVs, per-stream WAVs and every BXML document, under `dir`. */
async function writeCallFiles(dir: string, r: CallResult, audio: CallAudio | undefined): Promise<void> {
  if (audio) {
    await writeFile(join(dir, "caller.wav"), writeWav(audio.inboundPcm(), 8000));
    await writeFile(join(dir, "heard.wav"), writeWav(audio.outboundPcm(), 8000));
  }
  for (const [i, s] of r.streams.entries()) {
    const base = `stream-${i + 1}-${s.name.replace(/[^\w.-]+/g, "_").slice(0, 60)}`;
    await writeFile(join(dir, `${base}-inbound.wav`), writeWav(s.inboundPcm, 8000));
    await writeFile(join(dir, `${base}-played.wav`), writeWav(s.playedPcm, 8000));
  }
  for (const [i, d] of r.documents.entries()) await writeFile(join(dir, `bxml-${i + 1}.xml`), d.text);
}
