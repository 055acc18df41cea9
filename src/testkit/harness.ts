// bwemu inside a test process: a carrier with its Voice REST API and the Realtime stub, each on a
// free loopback port, and `placeCall(appUrl, { audio, dtmf, direction })` returning the call's
// record. Test-runner agnostic: `bwemu/vitest` wraps it in hooks (useBwemu); any other runner calls
// startBwemu() and close() itself.

import { Carrier, DEFAULT_FROM, DEFAULT_TO } from "../../emulator/call/carrier.js";
import type { CallerAudio, CallHandle, CallResult, CarrierSettings, PlaceCallOptions } from "../../emulator/call/types.js";
import { CallerAudioError, validateCallerAudio } from "../../emulator/media/caller-script.js";
import { readWavFile, WavError } from "../../emulator/media/wav.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";
import type { RealtimeStub } from "../../emulator/realtime/server.js";
import { startRealtimeStubForRun, type StubThreadOptions } from "../../emulator/realtime/thread.js";
import { conversation } from "../speech.js";
import { isDialString } from "../../emulator/call/keypad.js";
import { UsageError } from "../exit.js";
import { matchSessions, RUN_STUB_OPTIONS } from "../run/conformance.js";
import { callRecord, type PlacedCall } from "./record.js";

export interface BwemuOptions {
  /** Carrier settings: accountId, callbackCreds, apiCredentials, pacing ("realtime" by default), mediaFormat… */
  settings?: Partial<CarrierSettings>;
  /**
   * The Realtime stub on its own thread: options over the ones `bwemu test` uses (a greeting, then
   * each caller turn echoed back), e.g. `{ script, vad, faults }`; `false` for none (a bridge on a
   * live model or another protocol).
   */
  realtime?: StubThreadOptions | false;
  /** Reproducible call ids. */
  seed?: number;
}

/**
 * The caller's audio: a WAV path (one utterance), several paths (one utterance each, each after the
 * previous reply played), `{ turns: n }` (n of bwemu's bundled speech fixtures, like `bwemu call
 * --turns`), or a full CallerAudio script. Absent: silence.
 */
export type CallAudioInput = string | readonly string[] | { turns: number } | CallerAudio;

export interface PlaceCallInput extends Omit<PlaceCallOptions, "appUrl" | "caller" | "hangupAfterCallerMs"> {
  audio?: CallAudioInput;
  /** `inbound` (default): the carrier sends `initiate` to appUrl. `outbound`: a call the app created and the callee answered; the carrier sends `answer`. */
  direction?: "inbound" | "outbound";
  /** With audio: the caller hangs up this long after its audio and the app's reply finished (default 1 s). */
  hangupAfterMs?: number;
}

export interface Bwemu {
  readonly carrier: Carrier;
  /** The Voice REST API, e.g. http://127.0.0.1:PORT/api/v2 (the carrier's callUrl and mediaUrl point here). */
  readonly apiBaseUrl: string;
  readonly accountId: string;
  /** The stub's ws:// URL, for the bridge's upstream (throws when started with `realtime: false`). */
  readonly realtimeUrl: string;
  readonly stub: RealtimeStub | undefined;
  /** Place a call to the app and wait for it to end; the record holds everything the matchers read. */
  placeCall(appUrl: string, options?: PlaceCallInput): Promise<PlacedCall>;
  /** The record of a call by id, once it ended: one the app created through the Voice API (createCall), for instance. */
  callRecord(callId: string, options?: { timeoutMs?: number }): Promise<PlacedCall>;
  close(): Promise<void>;
}

/** Silent calls last this long unless `maxDurationMs` says otherwise: enough to answer and start a stream. */
export const SILENT_CALL_MS = 3000;
const HANGUP_AFTER_MS = 1000;
/** How long a call's model session may stay open after the call before the record shows it open (a leak). */
const SESSION_CLOSE_WAIT_MS = 2000;
/** The extra wait for a call past its own limit before bwemu hangs it up. */
const GRACE_MS = 15_000;

export async function startBwemu(options: BwemuOptions = {}): Promise<Bwemu> {
  const stub = options.realtime === false ? undefined : await startRealtimeStubForRun({ ...RUN_STUB_OPTIONS, ...options.realtime, port: options.realtime?.port ?? 0 });
  const carrier = new Carrier({ settings: options.settings, seed: options.seed });
  try {
    await carrier.listen(0);
  } catch (e) {
    await stub?.close();
    throw e;
  }
  // Stub sessions already credited to a call: each session serves one call.
  const claimed = new Set<string>();
  const meta = new Map<string, { spoke: boolean }>();

  const finish = async (handle: CallHandle, direction: "inbound" | "outbound", limitMs: number): Promise<PlacedCall> => {
    const result = await settle(handle, limitMs);
    let sessions: StubSessionRecord[] = [];
    if (stub) {
      await stub.sync();
      // A session that opened just after another call's stream connected is that call's, even while it
      // is live (the matching prefers ended calls, whose audio it can compare): calls placed together each get their own.
      const connects = carrier.timeline.events.filter((e) => e.kind === "stream.connect");
      const ownerOf = (openedUs: number) => connects.filter((e) => e.t <= openedUs + 100_000).at(-1)?.callId;
      sessions = (matchSessions([result], stub.sessions().filter((s) => !claimed.has(s.id))).get(result.callId) ?? []).filter(
        (s) => (ownerOf(s.openedUs) ?? result.callId) === result.callId,
      );
      for (const s of sessions) claimed.add(s.id);
      // A bridge ends its model session as the call ends: give it a moment, so the record says whether it did.
      for (const s of sessions.filter((x) => x.closedUs === undefined)) {
        await stub.waitForSession((x) => x.id === s.id && x.closedUs !== undefined, SESSION_CLOSE_WAIT_MS).catch(() => undefined);
      }
    }
    return callRecord({
      result,
      direction,
      heardPcm: carrier.calls.get(result.callId)?.audio?.outboundPcm(),
      spoke: meta.get(result.callId)?.spoke ?? false,
      realtimePacing: carrier.settings.pacing === "realtime",
      stubSessions: sessions,
    });
  };

  const bwemu: Bwemu = {
    carrier,
    stub,
    apiBaseUrl: carrier.settings.apiBaseUrl,
    accountId: carrier.settings.accountId,
    get realtimeUrl(): string {
      if (!stub) throw new UsageError("bwemu was started with `realtime: false`: there is no Realtime stub");
      return stub.url;
    },
    async placeCall(appUrl, o = {}) {
      checkAppUrl(appUrl);
      const { audio, direction = "inbound", hangupAfterMs, ...rest } = o;
      if (direction !== "inbound" && direction !== "outbound") throw new UsageError(`placeCall: direction must be "inbound" or "outbound", got ${JSON.stringify(direction)}`);
      // The keys and pauses the caller's keypad knows (emulator/call/keypad.ts); anything else would be dropped silently.
      if (rest.dtmf !== undefined && (typeof rest.dtmf !== "string" || !isDialString(rest.dtmf))) {
        throw new UsageError(`placeCall: dtmf ${JSON.stringify(rest.dtmf)} may only contain 0-9 * # A-D and the pauses w W ,`);
      }
      const caller = await callerAudio(audio);
      const spoke = !("silence" in caller);
      const utterances = "script" in caller ? caller.script.length : spoke ? 1 : 0;
      const maxDurationMs = rest.maxDurationMs ?? (spoke ? 10_000 + utterances * 15_000 : SILENT_CALL_MS);
      const opts: PlaceCallOptions = { ...rest, appUrl, caller, maxDurationMs, hangupAfterCallerMs: spoke ? (hangupAfterMs ?? HANGUP_AFTER_MS) : undefined };
      const handle = direction === "inbound" ? carrier.placeCall(opts) : carrier.handle(startOutbound(carrier, opts));
      meta.set(handle.callId, { spoke });
      return finish(handle, direction, maxDurationMs + GRACE_MS);
    },
    async callRecord(callId, o = {}) {
      const call = carrier.calls.get(callId);
      if (!call) throw new UsageError(`callRecord: no call ${JSON.stringify(callId)} on this carrier (${carrier.calls.size} call(s) so far)`);
      const timeoutMs = o.timeoutMs ?? 30_000;
      if ((await within(call.done, timeoutMs)) === LATE) {
        throw new Error(`callRecord: call ${callId} is still live after ${timeoutMs} ms (hang it up first, e.g. updateCall state "completed", or raise timeoutMs)`);
      }
      return finish(carrier.handle(call), call.direction, 0);
    },
    async close() {
      await carrier.close();
      await stub?.close();
    },
  };
  return bwemu;
}

const LATE = Symbol("late");

/** `p`'s value, or LATE when it takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<typeof LATE>((r) => (timer = setTimeout(r, ms, LATE)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The call's result; a call still running past `limitMs` is hung up (a test never hangs on it). */
async function settle(handle: CallHandle, limitMs: number): Promise<CallResult> {
  if (limitMs <= 0) return handle.done;
  const first = await within(handle.done, limitMs);
  if (first !== LATE) return first;
  handle.hangup();
  return handle.done;
}

function checkAppUrl(appUrl: unknown): void {
  let u: URL | undefined;
  try {
    u = typeof appUrl === "string" ? new URL(appUrl) : undefined;
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:")) {
    throw new UsageError(`placeCall: appUrl must be an absolute http(s) URL (the app's answer/initiate webhook), got ${JSON.stringify(appUrl)}`);
  }
}

/** The audio option as CallerAudio, every WAV read once so a bad file fails here with its reason. */
async function callerAudio(a: CallAudioInput | undefined): Promise<CallerAudio> {
  let caller: CallerAudio;
  try {
    if (a === undefined) return { silence: true };
    if (typeof a === "string") caller = { wav: a };
    else if (Array.isArray(a)) caller = conversation(a.length, a as string[]);
    else if (typeof a === "object" && a !== null && "turns" in a) {
      const n = a.turns;
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new CallerAudioError("audio.turns", "must be a whole number from 1 to 1000");
      caller = conversation(n);
    } else caller = validateCallerAudio(a, "audio");
    const wavs = "wav" in caller ? [caller.wav] : "script" in caller ? [...new Set(caller.script.map((u) => u.wav))] : [];
    for (const w of wavs) await readWavFile(w);
    return caller;
  } catch (e) {
    if (e instanceof WavError || e instanceof CallerAudioError) throw new UsageError(`placeCall: ${e.message}`);
    throw e;
  }
}

/** A call the app created that the callee answered: `answer` to the app, like REST createCall's. */
function startOutbound(carrier: Carrier, o: PlaceCallOptions) {
  const s = { ...carrier.settings, ...o.settings };
  const creds = o.omitCallbackCreds ? undefined : s.callbackCreds;
  const to = o.to ?? DEFAULT_TO;
  return carrier.startOutbound({
    from: o.from ?? DEFAULT_FROM,
    to,
    first: { eventType: "answer", primary: { url: o.appUrl, method: "POST", credentials: creds } },
    disconnectTarget: s.statusCallbackUrl ? { url: s.statusCallbackUrl, method: s.statusCallbackMethod ?? "POST", credentials: creds } : undefined,
    caller: o.caller ?? { silence: true },
    options: o,
    enqueuedWall: carrier.clock.wallNow(),
    farEnd: carrier.farEnds[to] ?? carrier.farEnds["*"] ?? { outcome: "answer", ringMs: 0 },
  });
}
