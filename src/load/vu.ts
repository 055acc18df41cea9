// Virtual users for load tools that bring their own arrivals (the Artillery engine,
// packages/artillery-engine-bwemu): one bwemu call per virtual user, on this thread's scheduler.
// `VirtualUsers.start` sets up what the calls point at once (the app, or a bundled bridge and the
// stub); `call()` places one call and resolves with its outcome. Options are data (YAML-friendly):
// durations as "3s" / "1500ms" or ms numbers.

import { randomInt } from "node:crypto";
import { cacheCallerAudio } from "../../emulator/call/media.js";
import { checkBridgeName } from "../bridges.js";
import { parseDuration } from "../parse.js";
import { realClock } from "../../emulator/clock.js";
import { startLoadCall } from "./call.js";
import { CrossTalkRun, crossTalkOff, SIGNATURE_COUNT, type CrossTalkSummary } from "./crosstalk.js";
import { conversationCapMs } from "../speech.js";
import { callerOf, checkDtmf, mediaFormatOf } from "./spec.js";
import { startLoadTarget, type LoadTarget } from "./target.js";
import type { CallOutcome, CallSpec } from "./types.js";

/** Where the calls go: an app URL, or a bundled bridge (with the stub or a Realtime URL behind it). */
export interface VirtualUserTarget {
  /** The app's initiate URL (Artillery: `config.target`). */
  app?: string;
  /** A bundled bridge run as a child process: `reference` or `passthrough`. */
  bridge?: string;
  /** `stub`: run the Realtime stub (default with `bridge`); a ws(s) URL: the endpoint for `bridge`. */
  realtime?: string;
  /** Port of the stub (default 4020 with `app`, any free port with `bridge`). */
  stubPort?: number;
  /** Sign each call's caller audio and fail calls that hear another's (`cross-talk`); default true. */
  crossTalk?: boolean;
}

/** What each call does. */
export interface VirtualUserCall {
  /** Caller utterances (the bundled speech), each after the previous reply (default 3); 0 = silence. */
  turns?: number;
  /** A WAV the caller plays instead of `turns`. */
  audio?: string;
  /** Digits the caller presses for Gather (w = 0.5 s pause). */
  dtmf?: string;
  /** Hang up this long after the caller's audio and the reply finished (default 3s). */
  hangupAfter?: string | number;
  /** Hang up after this long at the latest (default 10s + 15s a turn). */
  callDuration?: string | number;
  /** Stream L16 16 kHz instead of PCMU 8 kHz. */
  l16?: boolean;
}

const ms = (v: string | number | undefined, name: string, dflt: number): number => (v === undefined ? dflt : typeof v === "number" ? v : parseDuration(v, name));

/** A call's spec from its options (throws a clear error naming the option). */
export async function callSpecOf(o: VirtualUserCall, appUrl: string, index: number): Promise<CallSpec> {
  const { caller, turns } = await callerOf({ audio: o.audio, turns: o.turns ?? 3 });
  checkDtmf(o.dtmf);
  return {
    index,
    appUrl,
    caller,
    dtmf: o.dtmf,
    maxDurationMs: ms(o.callDuration, "callDuration", conversationCapMs(Math.max(1, turns))),
    hangupAfterCallerMs: "silence" in caller ? undefined : ms(o.hangupAfter, "hangupAfter", 3000),
    settings: { pacing: "realtime", mediaFormat: mediaFormatOf(o.l16) },
    conversation: turns > 0,
  };
}

export class VirtualUsers {
  private index = 0;
  private readonly calls = new Set<{ cut(): void }>();

  private constructor(
    private readonly target: LoadTarget,
    private readonly crossTalk?: CrossTalkRun,
  ) {}

  static async start(t: VirtualUserTarget): Promise<VirtualUsers> {
    if ((t.app === undefined) === (t.bridge === undefined)) throw new Error(t.app === undefined ? "give the app's URL (target) or a bundled bridge (bridge)" : "target and bridge exclude each other");
    const bridge = t.bridge !== undefined ? await checkBridgeName(t.bridge, { passthrough: true }) : undefined;
    const realtime = t.realtime ?? (bridge ? "stub" : undefined);
    const stubPort = realtime === "stub" ? (t.stubPort ?? (t.app !== undefined ? 4020 : 0)) : undefined;
    if (realtime !== undefined && realtime !== "stub" && !bridge) throw new Error(`realtime ${realtime}: with an app URL your bridge connects to its own Realtime endpoint; use realtime: stub`);
    const options = {
      appUrl: t.app,
      bridge: bridge ? { kind: bridge.kind, fault: bridge.fault } : undefined,
      stubPort,
      echo: t.crossTalk !== false,
      realtimeUrl: realtime !== undefined && realtime !== "stub" ? realtime : undefined,
      apiKey: process.env.OPENAI_API_KEY?.trim() || undefined,
    };
    let target: LoadTarget;
    try {
      target = await startLoadTarget(options);
    } catch (e) {
      // Several load-tool workers on one machine: one of them runs the stub on the app's port; the
      // others place their calls all the same (without bridge overhead, which needs the stub's records).
      if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || t.app === undefined) throw e;
      target = await startLoadTarget({ ...options, stubPort: undefined });
    }
    // Every virtual user says the same audio: decoded and analysed once on this thread.
    cacheCallerAudio(true);
    // The stub echoes each caller's signature; another upstream lets only caller audio be traced. Load
    // tools run several sets of virtual users (Artillery: one per worker process), each with its own
    // book: they start at a random place in the set, so their calls seldom share a signature.
    return new VirtualUsers(target, t.crossTalk === false ? undefined : new CrossTalkRun(target.stubUrl ? "echo" : "caller-only", randomInt(SIGNATURE_COUNT)));
  }

  get appUrl(): string {
    return this.target.appUrl;
  }

  /** The stub these calls' bridge talks to, when this set of virtual users runs it. */
  get stubUrl(): string | undefined {
    return this.target.stubUrl;
  }

  /** Place one call and wait for its outcome. */
  async call(o: VirtualUserCall = {}): Promise<CallOutcome> {
    let spec = await callSpecOf(o, this.target.appUrl, this.index++);
    const ct = this.crossTalk;
    if (ct && !("silence" in spec.caller)) spec = { ...spec, ...ct.assign(spec.index, realClock.nowUs()) };
    const c = startLoadCall(spec, 0, this.target.stubTurns);
    this.calls.add(c);
    try {
      const o = await c.outcome;
      return ct ? ct.outcome(o) : o;
    } finally {
      this.calls.delete(c);
    }
  }

  /** What cross-talk detection checked and found so far. */
  crossTalkSummary(): CrossTalkSummary {
    return this.crossTalk?.summary() ?? crossTalkOff("turned off (crossTalk: false)");
  }

  /** Hang up every call in progress and stop the stub and the bridge. */
  async close(): Promise<void> {
    for (const c of this.calls) c.cut();
    cacheCallerAudio(false);
    await this.target.close();
  }
}
