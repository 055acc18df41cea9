// The caller's keypad: scripted DTMF (`PlaceCallOptions.dtmf`, `dtmf` actions) routed to whatever
// collects digits. Gather takes precedence and pauses StartGather (§2.18: digits are not duplicated);
// a digit nobody collects is dropped, as on a real call.

import type { VerbHost } from "./host.js";
import { Aborted } from "./sleep.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** The caller pressed a key; `to` says who collected it. */
    "caller.dtmf": { digit: string; to: "gather" | "startGather" | "dropped" };
  }
}

export interface DigitSink {
  kind: "gather" | "startGather";
  onDigit(digit: string): void;
}

/** Time one key press takes before the next (tone + gap), ms. */
export const DEFAULT_DIGIT_GAP_MS = 500;

export class Keypad {
  private readonly sinks: DigitSink[] = [];
  private scriptStarted = false;

  constructor(private readonly call: VerbHost) {}

  /** Register a collector; returns its removal. The first collector starts `options.dtmf`. */
  attach(sink: DigitSink): () => void {
    this.sinks.push(sink);
    if (!this.scriptStarted && this.call.options.dtmf) {
      this.scriptStarted = true;
      void this.type(this.call.options.dtmf, undefined, this.call.signal).catch(() => undefined);
    }
    return () => {
      const i = this.sinks.indexOf(sink);
      if (i >= 0) this.sinks.splice(i, 1);
    };
  }

  press(digit: string): void {
    const gather = [...this.sinks].reverse().find((s) => s.kind === "gather");
    const target = gather ?? [...this.sinks].reverse().find((s) => s.kind === "startGather");
    this.call.record("caller.dtmf", { digit, to: target?.kind ?? "dropped" });
    target?.onDigit(digit);
  }

  /** Type a digit string: `w` = 0.5 s pause, `W` = 1 s, `,` = 0.5 s (§2.15 conventions). */
  async type(digits: string, gapMs = DEFAULT_DIGIT_GAP_MS, signal?: AbortSignal): Promise<void> {
    for (const ch of digits) {
      if (signal?.aborted) throw new Aborted();
      if (ch === "w" || ch === ",") await this.call.sleep(500, signal ?? this.call.signal);
      else if (ch === "W") await this.call.sleep(1000, signal ?? this.call.signal);
      else if (/^[0-9*#A-Da-d]$/.test(ch)) {
        await this.call.sleep(gapMs, signal ?? this.call.signal);
        this.press(ch);
      }
    }
  }
}
