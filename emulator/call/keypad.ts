// The caller's keypad: scripted DTMF (`PlaceCallOptions.dtmf`, `dtmf` actions) routed to whatever
// collects digits. Gather (or a Record waiting for its terminatingDigits) takes precedence and pauses
// StartGather (§2.18: digits are not duplicated); a digit nobody collects is dropped, as on a real
// call, and reported once at the end of the call (call.dtmf-uncollected: the script and the app
// disagree on when digits are wanted).

import type { VerbHost } from "./host.js";
import { Aborted } from "./sleep.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** The caller pressed a key; `to` says who collected it. */
    "caller.dtmf": { digit: string; to: DigitSink["kind"] | "dropped" };
  }
}

export interface DigitSink {
  kind: "gather" | "startGather" | "record";
  onDigit(digit: string): void;
}

/** Time one key press takes before the next (tone + gap), ms. */
export const DEFAULT_DIGIT_GAP_MS = 500;

/** A caller's key string: DTMF keys 0-9 * # A-D and the pauses w and , (0.5 s) and W (1 s). */
export const isDialString = (s: string): boolean => /^[0-9*#A-Da-dwW,]*$/.test(s);

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
    const blocking = [...this.sinks].reverse().find((s) => s.kind !== "startGather");
    const target = blocking ?? [...this.sinks].reverse().find((s) => s.kind === "startGather");
    const ev = this.call.record("caller.dtmf", { digit, to: target?.kind ?? "dropped" });
    if (!target) {
      if (this.dropped.length === 0) this.call.teardownHooks.push(() => this.reportDropped());
      this.dropped.push({ digit, seq: ev.seq });
    }
    target?.onDigit(digit);
  }

  private readonly dropped: { digit: string; seq: number }[] = [];

  /** One finding for every digit nobody collected (the live view has shown each as it was pressed). */
  private reportDropped(): void {
    const digits = this.dropped.map((d) => d.digit).join("");
    this.call.finding(
      "call.dtmf-uncollected",
      `the caller pressed ${this.dropped.length} key(s) nobody collected ("${digits}"): no <Gather>, <StartGather> or <Record> was running when they were pressed, so the app never saw them`,
      this.dropped.map((d) => d.seq),
    );
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
