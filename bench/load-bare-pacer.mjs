// The bare `ws` pacer of bench/load.bench.ts (the physical limit bwemu is compared with): in a worker
// thread, `calls` WebSockets to the echo app, each sent a `start` frame and then, on one absolute
// 20 ms grid (one timer per thread, like bwemu's scheduler), two pre-encoded `media` frames (inbound
// and outbound track: a JSON template per track, only the sequence number filled in) per call per
// tick; the echoed `playAudio` is received and counted. No bwemu code. The grid is bwemu's media
// clock (emulator/media/scheduler.ts): bursts of at most `slotStreams` calls, on `slotMs` phases (the
// fullest phase with room, then the emptiest), so both sides spread the same load alike.
// Reports each call's lateness per tick (how late its frames went out), the figure bwemu's scheduler
// records per stream tick: one sample per tick per thread would leave out the time spent on the calls
// before it in the same tick.
import { parentPort, workerData } from "node:worker_threads";
import { createRequire } from "node:module";

const require = createRequire(workerData.root + "/package.json");
const { WebSocket } = require("ws");
const hdr = require("hdr-histogram-js");

const { url, calls, seconds, payload, windowMs, slotMs, slotStreams } = workerData;
const PERIOD = 20;
const PHASES = slotMs > 0 && Number.isInteger(PERIOD / slotMs) ? PERIOD / slotMs : 1;
const histogram = () => hdr.build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true });
// One histogram per window of ticks (windowMs), as bwemu load's windows: the bench merges the warm ones.
const windows = [];
const inbound = [`{"track":"inbound","payload":"${payload}","sequenceNumber":"`, `","eventType":"media"}`];
const outbound = [`{"track":"outbound","payload":"${payload}","sequenceNumber":"`, `","eventType":"media"}`];
let echoed = 0;

const sockets = await Promise.all(
  Array.from(
    { length: calls },
    (_, i) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.once("open", () => {
          ws.send(JSON.stringify({ eventType: "start", metadata: { accountId: "9900000", callId: `c-bare-${workerData.thread}-${i}`, streamId: `s-${i}`, streamName: "echo", tracks: [{ name: "inbound", mediaFormat: { encoding: "audio/PCMU", sampleRate: 8000 } }, { name: "outbound", mediaFormat: { encoding: "audio/PCMU", sampleRate: 8000 } }] } }));
          resolve(ws);
        });
        ws.on("message", () => echoed++);
        ws.once("error", reject);
      }),
  ),
);
// Each call's phase, as bwemu's PhaseSlots places streams that start together.
const phases = Array.from({ length: PHASES }, () => []);
for (const ws of sockets) {
  const room = phases.some((p) => p.length < slotStreams);
  let best = -1;
  for (let i = 0; i < PHASES; i++) {
    const c = phases[i].length;
    if (room && c >= slotStreams) continue;
    if (best < 0 || (room ? c > phases[best].length : c < phases[best].length)) best = i;
  }
  phases[best].push(ws);
}
const bursts = phases.map((p, i) => ({ sockets: p, offsetMs: i * (PERIOD / PHASES) })).filter((b) => b.sockets.length);
parentPort.postMessage({ type: "connected" });
await new Promise((r) => parentPort.once("message", r));

const t0 = performance.now() + 20;
const ticks = Math.round((seconds * 1000) / PERIOD);
// The j-th burst overall: tick j / bursts.length, that tick's burst j % bursts.length.
let j = 0;
await new Promise((resolve) => {
  const step = () => {
    for (;;) {
      const n = Math.floor(j / bursts.length);
      const burst = bursts[j % bursts.length];
      const due = t0 + n * PERIOD + burst.offsetMs;
      const now = performance.now();
      if (now < due) return void setTimeout(step, Math.max(0, Math.floor(due - now)));
      const seq = String(n + 1);
      const w = Math.floor((n * PERIOD + burst.offsetMs) / windowMs);
      const late = (windows[w] ??= histogram());
      for (const ws of burst.sockets) {
        late.recordValue(Math.round((performance.now() - due) * 1000));
        ws.send(inbound[0] + seq + inbound[1]);
        ws.send(outbound[0] + seq + outbound[1]);
      }
      if (++j >= ticks * bursts.length) return resolve();
    }
  };
  step();
});
for (const ws of sockets) ws.close(1000);
parentPort.postMessage({ type: "done", windows: windows.map((h) => hdr.encodeIntoCompressedBase64(h)), echoed });
