// Simulated far ends (Transfer/Forward targets): per-number behaviour from the call's options,
// then the carrier's, then `*`, else "answers after 1 s of ringing".
import type { VerbHost } from "./host.js";
import type { FarEnd } from "./context.js";

export function farEndFor(call: VerbHost, target: string): FarEnd {
  const o = call.options.farEnds ?? {};
  const c = call.ctx.farEnds;
  return o[target] ?? c[target] ?? o["*"] ?? c["*"] ?? { outcome: "answer", ringMs: 1000 };
}
