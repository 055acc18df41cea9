// A shard in a worker thread (pool.ts starts it): its own event loop, pacing scheduler and sockets.

import { parentPort, workerData } from "node:worker_threads";
import type { StubTurnLike } from "../../emulator/latency/index.js";
import type { FromShard, ShardWorkerData, ToShard } from "./protocol.js";
import { Shard } from "./shard.js";

const data = workerData as ShardWorkerData;
const port = parentPort!;
const post = (m: FromShard): void => port.postMessage(m);
const pending = new Map<number, (turns: StubTurnLike[] | undefined) => void>();
let nextId = 1;

const shard = new Shard(
  data.shard,
  { outcome: (outcome) => post({ type: "outcome", outcome }), tick: (tick) => post({ type: "tick", tick }) },
  data.stub
    ? (q) =>
        new Promise((resolve) => {
          const id = nextId++;
          pending.set(id, resolve);
          post({ type: "stubTurns", id, ...q });
        })
    : undefined,
  data.windowMs,
);

port.on("message", (m: ToShard) => {
  switch (m.type) {
    case "start":
      shard.start(m.spec);
      return;
    case "cut":
      shard.cutAll();
      return;
    case "stubTurns":
      pending.get(m.id)?.(m.turns);
      pending.delete(m.id);
      return;
    case "close":
      shard.close();
      post({ type: "closed" });
      // The scheduler's timer thread and idle sockets would keep the worker up: it is done.
      setImmediate(() => process.exit(0));
      return;
  }
});
post({ type: "ready" });
