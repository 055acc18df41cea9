// Abortable waits on the call's clock. With the real clock the timer is cleared on abort, so a
// 4 h Pause never keeps the process alive after the call ends.

import { realClock, type Clock } from "../clock.js";

export class Aborted extends Error {
  override name = "Aborted";
}

export function sleepMs(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new Aborted());
  if (clock === realClock) {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(t);
        reject(new Aborted());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
  return raceAbort(clock.sleepUs(ms * 1000, signal), signal);
}

/** Resolves with `p`, or rejects with Aborted when `signal` fires first. */
export function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
