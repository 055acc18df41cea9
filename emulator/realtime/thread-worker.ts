// The worker-thread side of startRealtimeStubThread (thread.ts): runs the ordinary ws stub on this
// thread's own event loop and answers the main thread's messages. Its realClock reads the same
// timeline as the main thread's (a worker's performance.now() shares the process's origin: measured
// equal within 10 µs), so records need no conversion.

import { parentPort, workerData } from "node:worker_threads";
import type { StubFault } from "./faults.js";
import type { StubSessionRecord } from "./record.js";
import { startRealtimeStub, type RealtimeStub, type StubOptions } from "./server.js";
import type { FromStubThread, MirroredSession, StubThreadData, ToStubThread } from "./thread.js";

const data = workerData as StubThreadData;
const port = parentPort!;
const post = (m: FromStubThread, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer ?? []);

/** Audio bytes already mirrored, per session: only what grew is sent again. */
const sentLengths = new Map<string, { appended: number; sent: number }>();
/** Closed sessions whose final state the main thread has: the stub may drop them (retention). */
const mirroredClosed = new Set<string>();

function mirror(r: StubSessionRecord, withAudio: boolean): { m: MirroredSession; transfer: ArrayBuffer[] } {
  const json = (r as unknown as { toJSON(): Record<string, unknown> }).toJSON();
  const m: MirroredSession = { data: json };
  const transfer: ArrayBuffer[] = [];
  if (withAudio) {
    const was = sentLengths.get(r.id) ?? { appended: -1, sent: -1 };
    const appended = r.appendedAudio();
    const sent = r.sentAudio();
    if (appended.length !== was.appended) {
      m.appended = appended.slice(); // a copy: the record's own buffer stays with the stub
      transfer.push(m.appended.buffer as ArrayBuffer);
    }
    if (sent.length !== was.sent) {
      m.sent = sent.slice();
      transfer.push(m.sent.buffer as ArrayBuffer);
    }
    sentLengths.set(r.id, { appended: appended.length, sent: sent.length });
    if (r.closedUs !== undefined) mirroredClosed.add(r.id);
  }
  return { m, transfer };
}

async function main(): Promise<void> {
  let stub: RealtimeStub;
  try {
    const opts: StubOptions = { ...data.options };
    if (data.log) opts.log = (line) => post({ type: "log", line });
    // Prompt and cheap: the main thread always knows how many sessions exist (fault targeting).
    opts.onSession = (r) => post({ type: "opened", session: mirror(r, false).m });
    opts.releasable = (r) => mirroredClosed.has(r.id);
    stub = await startRealtimeStub(opts);
  } catch (e) {
    const err = e as Error & { code?: unknown };
    post({ type: "failed", message: err instanceof Error ? err.message : String(e), name: err?.name, code: typeof err?.code === "string" ? err.code : undefined });
    return;
  }
  const snapshot = (id: number): void => {
    const sessions: MirroredSession[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const r of stub.sessions()) {
      const x = mirror(r, true);
      sessions.push(x.m);
      transfer.push(...x.transfer);
    }
    post({ type: "snapshot", id, sessions }, transfer);
    // Now mirrored, closed records beyond the caps can go; forget what we knew of dropped ones.
    void stub.sync().then(() => {
      const kept = new Set(stub.sessions().map((r) => r.id));
      for (const id of sentLengths.keys()) if (!kept.has(id)) sentLengths.delete(id);
      for (const id of mirroredClosed) if (!kept.has(id)) mirroredClosed.delete(id);
    });
  };
  port.on("message", (msg: ToStubThread) => {
    switch (msg.type) {
      case "fault":
        try {
          stub.addFault(msg.fault as StubFault);
          post({ type: "ack", id: msg.id });
        } catch (e) {
          post({ type: "ack", id: msg.id, error: e instanceof Error ? e.message : String(e) });
        }
        return;
      case "sync":
        snapshot(msg.id);
        return;
      case "close":
        // The last snapshot has every session as the shutdown left it (closedBy "stub" for a leak).
        void stub.close().finally(() => {
          snapshot(0);
          post({ type: "closed" });
          port.close();
        });
        return;
    }
  });
  post({ type: "ready", url: stub.url });
}

void main();
