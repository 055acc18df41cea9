// The Realtime stub on its own thread: the same ws stub (server.ts), run in a worker thread so its
// work (decoding every append, VAD, building a response's dozen events) never holds up the
// carrier's event loop in the same process. That matters for what bwemu measures: a playAudio that
// reaches the carrier while the stub is busy on the same thread is timestamped late, and each such
// millisecond lands in the bridge overhead B (openai-realtime.md §12.3.3); measured on 2 cores with
// the stub in-process, the stub → carrier leg read 2.3 ms (p50) against 0.2 ms for carrier → stub.
//
// Records are mirrored on demand: sessions() is what the last sync() brought (a session appears as
// soon as it opens; its events, turns and audio after the next sync()). The mirror keeps every
// session of the stub's life (a run reads them all at its end); the worker drops a closed record
// (retention caps, server.ts) only once a sync has mirrored its final state. A worker's realClock reads
// the same timeline as this thread's, so the stub's times compare with the carrier's directly.
// Options that are functions or live objects (clock, timeline) cannot cross threads and are refused.

import { Worker } from "node:worker_threads";
import { checkFaults, type StubFault } from "./faults.js";
import type { StubSessionRecord } from "./record.js";
import { ScriptError } from "./script.js";
import { RETAIN_ALL, startRealtimeStub, type RealtimeStub, type StubOptions } from "./server.js";

/** Options of a stub thread: StubOptions without what cannot cross threads. */
export type StubThreadOptions = Omit<StubOptions, "clock" | "timeline" | "onSession" | "releasable"> & {
  /** Worker start-up limit (default 20 s: from sources, tsx compiles the stub on first load). */
  startTimeoutMs?: number;
};

// ---- messages (thread-worker.ts is the other end) -----------------------------------------------

export interface StubThreadData {
  options: Omit<StubOptions, "clock" | "timeline" | "log" | "onSession" | "releasable">;
  log: boolean;
}

export interface MirroredSession {
  /** record.toJSON(): everything but the audio. */
  data: Record<string, unknown>;
  /** Present when the audio changed since the last mirror. */
  appended?: Uint8Array;
  sent?: Uint8Array;
}

export type ToStubThread =
  | { type: "fault"; id: number; fault: StubFault }
  | { type: "sync"; id: number }
  | { type: "close" };

export type FromStubThread =
  | { type: "ready"; url: string }
  | { type: "failed"; message: string; name?: string; code?: string }
  | { type: "log"; line: string }
  | { type: "opened"; session: MirroredSession }
  | { type: "ack"; id: number; error?: string }
  | { type: "snapshot"; id: number; sessions: MirroredSession[] }
  | { type: "closed" };

/** A session record as mirrored from the stub thread; updated in place by each sync(). */
// Its fields are StubSessionRecord's, declared by the merged interface and set by update().
interface MirroredRecord extends Omit<StubSessionRecord, "appendedAudio" | "sentAudio"> {}
class MirroredRecord implements StubSessionRecord {
  private appended: Uint8Array = new Uint8Array(0);
  private sent: Uint8Array = new Uint8Array(0);

  update(m: MirroredSession): void {
    const { appendedAudioBytes: _a, sentAudioBytes: _s, ...data } = m.data;
    Object.assign(this, data);
    if (m.appended) this.appended = m.appended;
    if (m.sent) this.sent = m.sent;
  }

  appendedAudio(): Uint8Array {
    return this.appended;
  }

  sentAudio(): Uint8Array {
    return this.sent;
  }

  toJSON(): Record<string, unknown> {
    const { appended, sent, ...rest } = this as unknown as Record<string, unknown> & { appended: Uint8Array; sent: Uint8Array };
    return { ...rest, appendedAudioBytes: appended.length, sentAudioBytes: sent.length };
  }
}

// From sources the worker starts at thread-entry.mjs, which registers tsx (a worker does not inherit
// the loader of the thread that made it); compiled, it runs thread-worker.js directly.
const ENTRY = /\.ts$/.test(import.meta.url) ? new URL("./thread-entry.mjs", import.meta.url) : new URL("./thread-worker.js", import.meta.url);

export async function startRealtimeStubThread(opts: StubThreadOptions = {}): Promise<RealtimeStub> {
  const bad = (["clock", "timeline", "onSession", "releasable"] as const).filter((k) => (opts as Record<string, unknown>)[k] !== undefined);
  if (bad.length) throw new TypeError(`a stub thread cannot take ${bad.join(", ")} (they cannot cross threads); use startRealtimeStub`);
  const { log, startTimeoutMs = 20_000, ...options } = opts;
  const data: StubThreadData = { options, log: !!log };
  // execArgv []: nothing of this thread's loader; from sources thread-entry.mjs registers tsx itself.
  const worker = new Worker(ENTRY, { workerData: data, execArgv: [] });
  const records: MirroredRecord[] = [];
  const byId = new Map<string, MirroredRecord>();
  const pending = new Map<number, { resolve: (m: FromStubThread) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let closed = false;
  let failure: Error | undefined;
  let onClosed: (() => void) | undefined;

  const upsert = (m: MirroredSession): void => {
    const id = String(m.data.id);
    let r = byId.get(id);
    if (!r) {
      r = new MirroredRecord();
      byId.set(id, r);
      records.push(r);
    }
    r.update(m);
  };

  const failAll = (e: Error): void => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the Realtime stub thread did not start within ${startTimeoutMs} ms`));
      void worker.terminate();
    }, startTimeoutMs);
    worker.on("message", (m: FromStubThread) => {
      switch (m.type) {
        case "ready":
          clearTimeout(timer);
          resolve(m.url);
          return;
        case "failed": {
          clearTimeout(timer);
          // Keep what callers tell apart: a bad script, a port in use.
          const e: Error & { code?: string } = m.name === "ScriptError" ? new ScriptError(m.message) : new Error(m.message);
          if (m.code) e.code = m.code;
          reject(e);
          void worker.terminate();
          return;
        }
        case "log":
          log?.(m.line);
          return;
        case "opened":
          upsert(m.session);
          return;
        case "snapshot":
          for (const s of m.sessions) upsert(s);
          pending.get(m.id)?.resolve(m);
          pending.delete(m.id);
          return;
        case "ack":
          if (m.error) pending.get(m.id)?.reject(new Error(m.error));
          else pending.get(m.id)?.resolve(m);
          pending.delete(m.id);
          return;
        case "closed":
          onClosed?.();
          return;
      }
    });
    worker.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
      failAll(e instanceof Error ? e : new Error(String(e)));
    });
    worker.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the Realtime stub thread exited (code ${code}) before it was ready`));
      failAll(new Error(`the Realtime stub thread exited (code ${code})`));
    });
  });

  const request = (msg: ToStubThread & { id: number }, timeoutMs = 10_000): Promise<FromStubThread> => {
    if (closed) return Promise.reject(new Error("the Realtime stub is closed"));
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        pending.delete(msg.id);
        reject(new Error(`the Realtime stub thread did not answer ${msg.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(msg.id, {
        resolve: (m) => (clearTimeout(t), resolve(m)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
      worker.postMessage(msg);
    });
  };

  const faultAcks: Promise<unknown>[] = [];
  const sync = async (): Promise<void> => {
    await Promise.all(faultAcks.splice(0));
    await request({ type: "sync", id: nextId++ });
  };

  return {
    url,
    sessions: () => records,
    sessionCount: () => records.length,
    sync,
    async waitForSession(pred = () => true, timeoutMs = 10_000) {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const hit = records.find(pred);
        if (hit) return hit;
        if (performance.now() > until) throw new Error(`no matching stub session within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
        await sync();
      }
    },
    addFault(fault) {
      checkFaults([fault]); // refused here, at once, like the in-thread stub
      const ack = request({ type: "fault", id: nextId++, fault });
      ack.catch(() => undefined); // surfaced by the next sync()
      faultAcks.push(ack);
    },
    async close() {
      if (closed) return;
      closed = true;
      const exited = new Promise<void>((r) => worker.once("exit", () => r()));
      // "closed" follows the final snapshot; the worker then exits on its own.
      const said = new Promise<void>((r) => (onClosed = r));
      worker.postMessage({ type: "close" } satisfies ToStubThread);
      const t = setTimeout(() => void worker.terminate(), 5_000);
      await Promise.race([said.then(() => exited), exited]);
      clearTimeout(t);
      failAll(new Error("the Realtime stub is closed"));
    },
  };
}

/**
 * The stub as runs use it (`bwemu call`, `bwemu test`): on its own thread, unless
 * BWEMU_STUB_THREAD=0 puts it on the caller's (one thread, one stack: easier to debug).
 */
export function startRealtimeStubForRun(opts: StubThreadOptions = {}): Promise<RealtimeStub> {
  if (process.env.BWEMU_STUB_THREAD === "0") {
    const { startTimeoutMs: _t, ...inThread } = opts;
    return startRealtimeStub({ retain: RETAIN_ALL, ...inThread });
  }
  return startRealtimeStubThread(opts);
}
