// What a load run points at: the user's app (`--app`) or a bundled bridge started as a child process
// (`--bridge`), and the Realtime stub that answers the bridge's model traffic (`--realtime stub`),
// whose records give each turn's bridge overhead (stub-turns.ts). One place for the CLI and the
// Artillery engine.

import { spawnMeasurementBridge } from "../../fixtures/bridges/passthrough/process.js";
import { startRealtimeStubForRun } from "../../emulator/realtime/thread.js";
import { DEFAULT_SCRIPT, type StubScript } from "../../emulator/realtime/script.js";
import type { StubTurnsLookup } from "./call.js";
import { StubMatcher } from "./stub-turns.js";

export interface TargetOptions {
  /** The app's initiate URL; not with `bridge`. */
  appUrl?: string;
  /** A bundled bridge run as a child process, its upstream pointed at `realtimeUrl` or the stub. */
  bridge?: { kind: "reference" | "passthrough"; fault?: string };
  /** Start the Realtime stub on this port (0: any free port). */
  stubPort?: number;
  /** The stub echoes each caller turn (so cross-talk signatures come back) instead of its built-in replies. */
  echo?: boolean;
  /** With `bridge`: the Realtime endpoint it uses instead of the stub. */
  realtimeUrl?: string;
  apiKey?: string;
}

export interface LoadTarget {
  appUrl: string;
  /** ws URL of the stub, when one runs. */
  stubUrl?: string;
  bridgePid?: number;
  stubTurns?: StubTurnsLookup;
  close(): Promise<void>;
}

/**
 * The stub's replies when calls carry signatures (crosstalk.ts): each caller turn echoed back, signature
 * included, with the built-in script's greeting and timing (think time 0, 100 ms deltas in a burst).
 */
export const ECHO_SCRIPT: StubScript = {
  greeting: DEFAULT_SCRIPT.greeting,
  turns: [{ audio: { echo: true }, transcript: "(echo of the caller)" }],
  after: "repeat-last",
  defaults: DEFAULT_SCRIPT.defaults,
};

export async function startLoadTarget(o: TargetOptions): Promise<LoadTarget> {
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    let stubUrl: string | undefined;
    let matcher: StubMatcher | undefined;
    if (o.stubPort !== undefined) {
      const stub = await startRealtimeStubForRun({ port: o.stubPort, ...(o.echo ? { script: ECHO_SCRIPT } : {}) });
      closers.push(() => stub.close());
      matcher = new StubMatcher(stub);
      closers.push(async () => matcher!.close());
      stubUrl = stub.url;
    }
    let appUrl = o.appUrl ?? "";
    let bridgePid: number | undefined;
    if (o.bridge) {
      const upstream = o.realtimeUrl ?? stubUrl;
      if (!upstream) throw new Error("a bundled bridge needs a Realtime endpoint (the stub or a URL)");
      const b = await spawnMeasurementBridge({ kind: o.bridge.kind, fault: o.bridge.fault, realtimeUrl: upstream, apiKey: o.apiKey });
      closers.push(() => b.close());
      appUrl = b.url;
      bridgePid = b.pid;
    }
    return { appUrl, stubUrl, bridgePid, stubTurns: matcher ? (q) => matcher.lookup(q) : undefined, close };
  } catch (e) {
    await close();
    throw e;
  }
}
