// Readiness of the app under test: before a run, something must accept TCP connections at the app's
// host and port. A connection is all that is asked (no request: the initiate URL has side effects).
// Without a wait, one attempt; with `waitMs`, attempts every `intervalMs` until one succeeds.
import { connect } from "node:net";
import { UsageError } from "../exit.js";

export interface AppReadyOptions {
  /** Poll this long before giving up (`--wait-for-app`); 0: one attempt. */
  waitMs?: number;
  intervalMs?: number;
  /** Bound on one attempt (a SYN that nobody answers). */
  attemptMs?: number;
  /** Called once, when the first attempt fails and waiting begins. */
  onWait?: (reason: string) => void;
}

const REASON: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "no answer",
};

/** One connection attempt: undefined when it connected, else the reason in words. */
export function tryConnect(url: URL, attemptMs: number): Promise<string | undefined> {
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reason: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(() => done(`no answer within ${attemptMs / 1000} s`), attemptMs);
    socket.once("connect", () => done(undefined));
    socket.once("error", (e: NodeJS.ErrnoException) => done(REASON[e.code ?? ""] ?? e.code ?? e.message));
  });
}

/** The URL as it may be shown: no userinfo, no query (either may carry a secret). */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The line shown while waiting (`bwemu test` and `bwemu call`). */
export function waitingLine(appUrl: string, waitMs: number, reason: string): string {
  return `waiting up to ${waitMs / 1000} s for the app at ${shownUrl(new URL(appUrl))} (${reason})`;
}

/** Resolves when the app accepts connections; a UsageError (exit 2) naming the URL when it does not. */
export async function waitForApp(appUrl: string, o: AppReadyOptions = {}): Promise<void> {
  const url = new URL(appUrl);
  const waitMs = o.waitMs ?? 0;
  const interval = o.intervalMs ?? 250;
  const attemptMs = o.attemptMs ?? 5000;
  const deadline = performance.now() + waitMs;
  let first = true;
  for (;;) {
    const left = deadline - performance.now();
    const reason = await tryConnect(url, waitMs > 0 ? Math.max(100, Math.min(attemptMs, left)) : attemptMs);
    if (reason === undefined) return;
    if (waitMs <= 0) {
      throw new UsageError(`the app at ${shownUrl(url)} does not answer (${reason}): start it first, or give --wait-for-app <time> (e.g. 30s) to wait for it`);
    }
    if (first) o.onWait?.(reason);
    first = false;
    if (performance.now() + interval > deadline) {
      throw new UsageError(`the app at ${shownUrl(url)} did not answer within ${waitMs / 1000} s (--wait-for-app; last attempt: ${reason})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
