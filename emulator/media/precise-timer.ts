// A sub-millisecond wake-up for the pacing scheduler without busy-waiting on the event loop. Node's
// setTimeout has 1 ms granularity and fires up to ~1 ms early or several ms late; a setImmediate spin
// fixes that at the cost of a core. Here a worker thread sleeps in Atomics.wait (a futex with a
// fractional-ms timeout, typically ≈ 0.05–0.2 ms late) and posts a message at the deadline, which
// wakes the main loop. The main thread never blocks and burns no CPU while waiting.

import { Worker } from "node:worker_threads";

export interface PreciseTimer {
  /** The worker thread is running (booting one takes tens of ms; use another timer until then). */
  readonly ready: boolean;
  /** Fire `onFire` at `atUs` on the realClock timeline (performance.now() × 1000); replaces any earlier arm. */
  arm(atUs: number): void;
  disarm(): void;
  close(): void;
}

// ctl[0]: generation (bumped on every arm/disarm), ctl[1]: stop flag; f64[1]: target in ms of
// process.hrtime (CLOCK_MONOTONIC, the same in every thread, unlike performance.timeOrigin).
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const ctl = new Int32Array(workerData, 0, 2);
const target = new Float64Array(workerData, 8, 1);
let firedGen = -1;
for (;;) {
  if (Atomics.load(ctl, 1)) break;
  const gen = Atomics.load(ctl, 0);
  const at = target[0];
  if (!(at < Infinity) || gen === firedGen) { Atomics.wait(ctl, 0, gen, 1000); continue; }
  const wait = at - Number(process.hrtime.bigint()) / 1e6;
  if (wait > 0) { Atomics.wait(ctl, 0, gen, wait); continue; }
  firedGen = gen;
  parentPort.postMessage(gen);
}
`;

/** Null when worker threads are unavailable; the caller then falls back to timers. */
export function createPreciseTimer(onFire: () => void): PreciseTimer | null {
  let worker: Worker;
  const sab = new SharedArrayBuffer(16);
  const ctl = new Int32Array(sab, 0, 2);
  const target = new Float64Array(sab, 8, 1);
  target[0] = Infinity;
  try {
    worker = new Worker(WORKER, { eval: true, workerData: sab });
  } catch {
    return null;
  }
  let armed = false;
  let closed = false;
  let ready = false;
  worker.once("online", () => (ready = true));
  worker.on("message", () => {
    if (closed) return;
    armed = false;
    worker.unref();
    onFire();
  });
  worker.on("error", (e) => process.emitWarning(`pacing timer worker failed: ${String(e)}`));
  // After the listeners: attaching a 'message' listener refs the worker's port again.
  worker.unref();
  const bump = () => {
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  };
  return {
    get ready() {
      return ready && !closed;
    },
    arm(atUs) {
      if (closed) return;
      // Re-anchored on every arm: the offset between performance.now() and hrtime is not fixed
      // (it jumps by tens of ms early in a process's life).
      target[0] = Number(process.hrtime.bigint()) / 1e6 + (atUs / 1000 - performance.now());
      bump();
      if (!armed) worker.ref(); // a pending deadline keeps the process alive, as a timer would
      armed = true;
    },
    disarm() {
      if (closed || !armed) return;
      target[0] = Infinity;
      bump();
      armed = false;
      worker.unref();
    },
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(ctl, 1, 1);
      bump();
      void worker.terminate();
    },
  };
}
