// bwemu in a Vitest test file:
//
//   const bwemu = useBwemu();                    // carrier + Voice API + Realtime stub, per file
//   const call = await bwemu.placeCall(appUrl, { audio: { turns: 2 } });
//   expect(call).toHaveStreamed();
//   expect(call).toHaveReceivedWebhook("mediaStreamStarted");
//   expect(call).toHaveHeardReply();
//   expect(call).toHaveTurnLatencyBelow(1500);
//
// and `expect(xml).toBeValidBxml({ strict: true, context: "transferAnswer" })` on BXML text.
// vitest is an optional peer dependency of bwemu: this entry point needs it, the others do not.
import { afterAll, beforeAll, expect } from "vitest";
import { lintBxml, type LintOptions } from "./lint.js";
import { UsageError } from "./exit.js";
import { startBwemu, type Bwemu, type BwemuOptions } from "./testkit/harness.js";
import {
  toHaveHeardReply,
  toHaveReceivedWebhook,
  toHaveStreamed,
  toHaveTurnLatencyBelow,
  type HeardReplyOptions,
  type StreamedOptions,
  type TurnLatencyOptions,
  type WebhookEventType,
  type WebhookOptions,
} from "./testkit/matchers.js";

export { startBwemu, type Bwemu, type BwemuOptions, type CallAudioInput, type PlaceCallInput } from "./testkit/harness.js";
export type { PlacedCall, WebhookRecord, Finding } from "./testkit/record.js";
export { WEBHOOK_EVENT_TYPES, type HeardReplyOptions, type StreamedOptions, type TurnLatencyOptions, type WebhookEventType, type WebhookOptions } from "./testkit/matchers.js";

export const bwemuMatchers = {
  toBeValidBxml(received: unknown, options: LintOptions = {}) {
    if (typeof received !== "string" && !(received instanceof Uint8Array)) {
      return { pass: false, message: () => `expected BXML text, got ${typeof received}` };
    }
    const failing = lintBxml(received, options).filter((d) => d.level === "error" || (options.strict && d.level === "warning"));
    return {
      pass: failing.length === 0,
      message: () =>
        failing.length
          ? `expected valid BXML, found:\n${failing.map((d) => `  ${d.line}:${d.col} ${d.level} ${d.ruleId}: ${d.message}`).join("\n")}`
          : "expected the BXML to be invalid, but it lints clean",
    };
  },
  toHaveStreamed,
  toHaveReceivedWebhook,
  toHaveHeardReply,
  toHaveTurnLatencyBelow,
};

export interface UseBwemuOptions extends BwemuOptions {
  /** How long starting may take (the stub starts a worker thread), default 30 s. */
  startTimeoutMs?: number;
}

/**
 * Start bwemu before this file's tests (`beforeAll`) and close it after them (`afterAll`), and
 * register the matchers. Call it at the top of a test file (or a `describe`); the object it returns
 * is usable in tests and in hooks registered after it.
 */
export function useBwemu(options: UseBwemuOptions = {}): Bwemu {
  expect.extend(bwemuMatchers);
  const { startTimeoutMs = 30_000, ...start } = options;
  let live: Bwemu | undefined;
  const need = (): Bwemu => {
    if (!live) throw new UsageError("bwemu is not started: use what useBwemu() returns inside tests, or in hooks registered after useBwemu()");
    return live;
  };
  beforeAll(async () => {
    live = await startBwemu(start);
  }, startTimeoutMs);
  const stop = async (): Promise<void> => {
    const b = live;
    live = undefined;
    await b?.close();
  };
  afterAll(stop);
  return {
    get carrier() {
      return need().carrier;
    },
    get apiBaseUrl() {
      return need().apiBaseUrl;
    },
    get accountId() {
      return need().accountId;
    },
    get realtimeUrl() {
      return need().realtimeUrl;
    },
    get stub() {
      return need().stub;
    },
    placeCall: (appUrl, o) => need().placeCall(appUrl, o),
    callRecord: (callId, o) => need().callRecord(callId, o),
    close: stop,
  };
}

declare module "vitest" {
  interface Assertion<T = any> {
    toBeValidBxml(options?: LintOptions): T;
    /** The call streamed media to the app: a StartStream connected and caller audio went out on it. */
    toHaveStreamed(options?: StreamedOptions): T;
    /** The app was sent a webhook of this Bandwidth eventType and acknowledged it (2xx). */
    toHaveReceivedWebhook(eventType: WebhookEventType, options?: WebhookOptions): T;
    /** The caller heard speech from the app (playAudio on a stream, or a verb's audio). */
    toHaveHeardReply(options?: HeardReplyOptions): T;
    /** Every caller turn was answered, its first reply audio reaching the carrier within `ms` of the end of speech. */
    toHaveTurnLatencyBelow(ms: number, options?: TurnLatencyOptions): T;
  }
}
