// Simulated far ends (Transfer/Forward targets): per-number behaviour from the call's options,
// then the carrier's, then `*`, else "answers after 1 s of ringing".
import type { FarEnd } from "./context.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** A simulated far end (Transfer/Forward target, Bridge) changed state. */
    "farend.state": { callId: string; target: string; state: "ringing" | "answered" | "busy" | "no-answer" | "rejected" | "disconnected" };
  }
}

export function farEndFor(own: Readonly<Record<string, FarEnd>> | undefined, carrier: Readonly<Record<string, FarEnd>>, target: string): FarEnd {
  const o = own ?? {};
  return o[target] ?? carrier[target] ?? o["*"] ?? carrier["*"] ?? { outcome: "answer", ringMs: 1000 };
}
