// What a run may leave behind: libuv handles of this process (listening servers, sockets, timers)
// and child processes. A baseline is taken before the run; after it, the counts must settle back.

import { createHook } from "node:async_hooks";
import { readdirSync, readFileSync } from "node:fs";

/** Handle kinds a run must not leak. */
export const WATCHED = ["TCPServerWrap", "TCPSocketWrap", "Timeout"] as const;

export type HandleCounts = Record<(typeof WATCHED)[number], number>;

export function handleCounts(): HandleCounts {
  const info = process.getActiveResourcesInfo();
  return Object.fromEntries(WATCHED.map((k) => [k, info.filter((x) => x === k).length])) as HandleCounts;
}

/**
 * Waits (polling, at most `timeoutMs`) until no watched kind exceeds the baseline; returns the
 * excess still present at the end (empty when settled).
 */
export async function settle(baseline: HandleCounts, timeoutMs = 5000): Promise<Partial<HandleCounts>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = handleCounts();
    const extra = Object.fromEntries(WATCHED.filter((k) => now[k] > baseline[k]).map((k) => [k, now[k] - baseline[k]])) as Partial<HandleCounts>;
    if (!Object.keys(extra).length || Date.now() > until) return extra;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Process ids (zombies included: an unreaped child is a leak too) whose parent is this process, from Linux /proc. */
export function childPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ")".
    const ppid = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
    if (Number(ppid) === process.pid) out.push(Number(name));
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every handle and timer created while enabled, until it is closed, cleared or has fired
 * (async_hooks `init`/`destroy`). Exact where `getActiveResourcesInfo` is not: in a vitest worker its
 * Timeout count drifts (a timer of the worker's own can hide one the run leaked).
 */
export class ResourceTracker {
  static readonly TYPES = new Set(["TCPSERVERWRAP", "TCPWRAP", "Timeout", "PROCESSWRAP", "PIPEWRAP", "PIPESERVERWRAP", "UDPWRAP", "FSEVENTWRAP"]);
  private readonly live = new Map<number, string>();
  /** Set while the tracker arms its own poll timer, so that timer is not counted. */
  private own = false;
  private readonly hook = createHook({
    init: (id, type) => {
      if (!this.own && ResourceTracker.TYPES.has(type)) this.live.set(id, type);
    },
    destroy: (id) => {
      this.live.delete(id);
    },
  });

  start(): this {
    this.hook.enable();
    return this;
  }

  /** Counts by type of what is still open; waits (polling, at most `timeoutMs`) for it to drain. */
  async settle(timeoutMs = 5000): Promise<Record<string, number>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const counts: Record<string, number> = {};
      for (const t of this.live.values()) counts[t] = (counts[t] ?? 0) + 1;
      if (!this.live.size || Date.now() > until) return counts;
      this.own = true;
      const tick = new Promise((r) => setTimeout(r, 100));
      this.own = false;
      await tick;
    }
  }

  stop(): void {
    this.hook.disable();
  }
}
