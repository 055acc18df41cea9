import { createPacingScheduler } from "./emulator/media/scheduler.js";
import { prng } from "./emulator/media/synth.js";
const s = createPacingScheduler({ timer: "worker" });
await new Promise((r) => setTimeout(r, 300));
const rnd = prng(1); const t0 = performance.now() * 1000 + 20000;
await new Promise<void>((res) => { let fin = 0; for (let i = 0; i < 100; i++) s.every({ periodUs: 20000, startUs: t0 + rnd() * 20000, onTick: (n) => { if (n >= 100) { if (++fin === 100) res(); return false; } } }); });
const d = (globalThis as any).__dbg; console.log("iterations", d[0], "fires", d[1], "not-equal", d[2], "ok(notified)", d[3], s.lateness());
s.close();
