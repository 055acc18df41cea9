// The run's shards: N worker threads (each a Shard with its own scheduler and sockets), or one Shard
// on this thread (`workers: 0`). Calls go to the shard holding the fewest. A worker that dies is
// reported with the calls it held (each a `worker-died` failure) and gets no more calls; the run
// goes on with the rest.

import { Worker } from "node:worker_threads";
import { realClock } from "../../emulator/clock.js";
import type { StubTurnsLookup } from "./call.js";
import type { FromShard, ShardWorkerData, ToShard } from "./protocol.js";
import { Shard } from "./shard.js";
import { failedOutcome, type CallOutcome, type CallSpec, type ShardTick } from "./types.js";

export interface PoolEvents {
  outcome(o: CallOutcome): void;
  tick(t: ShardTick): void;
  /** A worker died; `calls` is how many calls it held (each already reported as a `worker-died` outcome). */
  died(shard: number, calls: number, message: string): void;
}

interface Link {
  id: number;
  /** Calls handed to the shard and not yet reported: index → start time (µs). */
  held: Map<number, number>;
  alive: boolean;
  send(m: ToShard): void;
  close(): Promise<void>;
  terminate?: () => Promise<unknown>;
}

const ENTRY = /\.ts$/.test(import.meta.url) ? new URL("./worker-entry.mjs", import.meta.url) : new URL("./worker.js", import.meta.url);

export class ShardPool {
  private constructor(
    private readonly links: Link[],
    private readonly events: PoolEvents,
  ) {}

  static async start(o: { workers: number; windowMs: number; events: PoolEvents; stubTurns?: StubTurnsLookup; startTimeoutMs?: number }): Promise<ShardPool> {
    const links: Link[] = [];
    const settle = (link: Link, ev: CallOutcome): void => {
      // A call already written off (abandon) is not counted twice.
      if (!link.held.delete(ev.index)) return;
      o.events.outcome(ev);
    };
    if (o.workers === 0) {
      const link: Link = { id: 0, held: new Map(), alive: true, send: () => undefined, close: async () => undefined };
      const shard = new Shard(0, { outcome: (ev) => settle(link, ev), tick: (t) => o.events.tick(t) }, o.stubTurns, o.windowMs);
      link.send = (m) => (m.type === "start" ? shard.start(m.spec) : m.type === "cut" ? shard.cutAll() : undefined);
      link.close = async () => shard.close();
      return new ShardPool([link], o.events);
    }
    await Promise.all(
      Array.from({ length: o.workers }, async (_, id) => {
        const data: ShardWorkerData = { shard: id, windowMs: o.windowMs, stub: !!o.stubTurns };
        const worker = new Worker(ENTRY, { workerData: data, execArgv: [] });
        const link: Link = {
          id,
          held: new Map(),
          alive: true,
          send: (m) => worker.postMessage(m),
          terminate: () => worker.terminate(),
          close: () =>
            new Promise<void>((resolve) => {
              if (!link.alive) return resolve();
              const t = setTimeout(() => void worker.terminate().then(() => resolve()), 5_000);
              worker.once("exit", () => (clearTimeout(t), resolve()));
              worker.postMessage({ type: "close" } satisfies ToShard);
            }),
        };
        const died = (message: string): void => {
          if (!link.alive) return;
          link.alive = false;
          const now = realClock.nowUs();
          const lost = [...link.held];
          link.held.clear();
          for (const [index, startedUs] of lost) {
            o.events.outcome(failedOutcome({ index, shard: id, startedUs, endedUs: now, reason: "worker-died", detail: `shard ${id} died: ${message}` }));
          }
          o.events.died(id, lost.length, message);
        };
        worker.on("message", (m: FromShard) => {
          if (m.type === "outcome") settle(link, m.outcome);
          else if (m.type === "tick") o.events.tick(m.tick);
          else if (m.type === "stubTurns") void o.stubTurns?.(m).then((turns) => link.alive && worker.postMessage({ type: "stubTurns", id: m.id, turns } satisfies ToShard));
          else if (m.type === "closed") link.alive = false;
        });
        worker.on("error", (e) => died(e.message));
        worker.on("exit", (code) => died(`exited with code ${code}`));
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`load shard ${id} did not start within ${o.startTimeoutMs ?? 30_000} ms`)), o.startTimeoutMs ?? 30_000);
          worker.once("message", () => (clearTimeout(t), resolve()));
          worker.once("error", (e) => (clearTimeout(t), reject(e)));
        });
        links.push(link);
      }),
    );
    return new ShardPool(links.sort((a, b) => a.id - b.id), o.events);
  }

  /** Calls handed out and not yet reported. */
  get active(): number {
    return this.links.reduce((n, l) => n + l.held.size, 0);
  }

  get alive(): number {
    return this.links.filter((l) => l.alive).length;
  }

  /** Hand a call to the least-loaded live shard; false when no shard is left. */
  dispatch(spec: CallSpec): boolean {
    let best: Link | undefined;
    for (const l of this.links) if (l.alive && (!best || l.held.size < best.held.size)) best = l;
    if (!best) return false;
    best.held.set(spec.index, realClock.nowUs());
    best.send({ type: "start", spec });
    return true;
  }

  /** Calls that never reported (their shard is stuck): each becomes a `harness` failure with `why`. */
  abandon(why: string): void {
    const now = realClock.nowUs();
    for (const l of this.links) {
      const lost = [...l.held];
      l.held.clear();
      for (const [index, startedUs] of lost) this.events.outcome(failedOutcome({ index, shard: l.id, startedUs, endedUs: now, reason: "harness", detail: why, cut: true }));
    }
  }

  cutAll(): void {
    for (const l of this.links) if (l.alive) l.send({ type: "cut" });
  }

  /** Stop every shard (each sends its last window first). */
  async close(): Promise<void> {
    await Promise.all(this.links.map((l) => l.close()));
  }

  /** End a worker abruptly, as a crash would (tests; `kill` of a stuck shard). */
  async terminateShard(id: number): Promise<void> {
    await this.links.find((l) => l.id === id)?.terminate?.();
  }
}
