// The callback client: BXML webhooks with the ED-8 procedure (§6.2) and notification webhooks
// (§6.1: one retry on a connection error, body ignored, never blocking). Every attempt is recorded
// as `http.exchange` (credentials redacted, bodies clipped) and every delivery as `webhook.result`.

import type { Credentials } from "../call/types.js";
import type { Clock } from "../clock.js";
import { clipBody, redactHeaders, type Timeline } from "../timeline.js";
import { headerValue, send, type HttpResult } from "./http.js";
import {
  classifyBxmlAttempt,
  classifyNotificationAttempt,
  FIRST_STEP,
  nextStep,
  type AttemptClass,
  type ProcedureState,
} from "./procedure.js";
import { buildWebhookRequest, type Method } from "./request.js";
import { redactSecrets } from "./redact.js";
import { isXmlContentType } from "./sniff.js";
import { decided } from "../decisions.js";

declare module "../timeline.js" {
  interface HttpExchangeData {
    /** The webhook event this exchange delivered (webhooks only). */
    eventType?: string;
  }
}

export interface WebhookTarget {
  url: string;
  method?: Method;
  credentials?: Credentials;
}

export interface WebhookSpec {
  eventType: string;
  payload: Record<string, unknown>;
  primary: WebhookTarget;
  /** BXML webhooks only. */
  fallback?: WebhookTarget;
  /** Per-call / per-verb `callbackTimeout` override, ms. */
  timeoutMs?: number;
  callId?: string;
  signal?: AbortSignal;
}

export type BxmlDelivery =
  | {
      ok: true;
      /** The document as text (lossy where the bytes are not UTF-8: judge `bytes`). */
      text: string;
      /** The document as received: what the carrier validates (one decoder with `bwemu lint`). */
      bytes: Uint8Array;
      /** The URL that served the document (base for relative URLs, §1.5). */
      url: string;
      contentType?: string;
      status: number;
      usedFallback: boolean;
      /** Seq of the exchange that served it (evidence). */
      exchangeSeq: number;
    }
  | { ok: false; errorMessage: string; evidence: number[] };

export interface NotifyResult {
  ok: boolean;
  status?: number;
  error?: string;
}

export interface WebhookClientOptions {
  timeline: Timeline;
  clock: Clock;
  timeoutMs: number;
  maxResponseBytes: number;
  /** ED-8 retry count after a connection error (default 1). */
  connectionRetries?: number;
  /** ED-8 strictness: a non-XML Content-Type makes a BXML body "not BXML" (→ fallback). Default false. */
  strictContentType?: boolean;
}

export class WebhookClient {
  /** Injected delays (`bwemu serve` faults): the next webhook of a call waits this long before it is sent. */
  private readonly delays = new Map<string, number>();

  constructor(private readonly o: WebhookClientOptions) {}

  /** Hold the call's next webhook attempt back by `ms` (a slow network on the carrier's side). */
  delayNext(callId: string, ms: number): void {
    this.delays.set(callId, ms);
  }

  /** Forget a call's pending injected delay (the call is gone). */
  forget(callId: string): void {
    this.delays.delete(callId);
  }

  /** One HTTP attempt, recorded. */
  private async attempt(
    spec: WebhookSpec,
    target: WebhookTarget,
    attempt: number,
    fallback: boolean,
  ): Promise<{ result: HttpResult; seq: number }> {
    const method = target.method ?? "POST";
    const req = buildWebhookRequest(target.url, method, spec.payload, target.credentials);
    const delay = spec.callId !== undefined ? this.delays.get(spec.callId) : undefined;
    if (delay !== undefined) {
      this.delays.delete(spec.callId!);
      this.o.timeline.append("note", { message: `injected fault: ${spec.eventType} webhook held back ${delay} ms` }, { callId: spec.callId });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        spec.signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
      });
    }
    const t0 = this.o.clock.nowUs();
    // Virtual time (--fast) never skips while the app is answering.
    const release = this.o.clock.hold?.();
    const result = await send(req, {
      timeoutMs: spec.timeoutMs ?? this.o.timeoutMs,
      maxResponseBytes: this.o.maxResponseBytes,
      signal: spec.signal,
    }).finally(release);
    const reqBody = clipBody(redactSecrets(req.body));
    const resBody = result.kind === "response" || result.kind === "too-large" ? clipBody(redactSecrets(result.body)) : { truncated: false };
    const e = this.o.timeline.append(
      "http.exchange",
      {
        role: "webhook",
        eventType: spec.eventType,
        method,
        url: redactSecrets(req.url),
        requestHeaders: redactHeaders(req.headers),
        requestBody: reqBody.text,
        status: result.kind === "response" || result.kind === "too-large" ? result.status : undefined,
        responseHeaders: result.kind === "response" || result.kind === "too-large" ? redactHeaders(result.headers) : undefined,
        responseBody: resBody.text,
        error:
          result.kind === "connection-error" || result.kind === "timeout"
            ? result.error
            : result.kind === "too-large"
              ? `response body exceeded ${this.o.maxResponseBytes} bytes; reading stopped`
              : undefined,
        durationUs: this.o.clock.nowUs() - t0,
        attempt,
        fallback: fallback || undefined,
        truncated: reqBody.truncated || resBody.truncated || result.kind === "too-large" || undefined,
      },
      { callId: spec.callId },
    );
    if (result.kind === "too-large") {
      this.o.timeline.append(
        "finding",
        {
          code: "webhook.reply-too-large",
          level: "error",
          message: `${spec.eventType} reply from ${req.url} exceeded ${this.o.maxResponseBytes} bytes; the carrier stopped reading it`,
          evidence: [e.seq],
        },
        { callId: spec.callId },
      );
    }
    return { result, seq: e.seq };
  }

  /** ED-8: deliver a BXML webhook; resolves to the document or the reason for `callback-error`. */
  async deliverBxml(spec: WebhookSpec): Promise<BxmlDelivery> {
    let step = FIRST_STEP;
    const state: ProcedureState = { target: "primary", attemptOnTarget: 0 };
    const reasons: string[] = [];
    const evidence: number[] = [];
    let last: { result: HttpResult; seq: number; target: WebhookTarget } | undefined;
    let attempts = 0;
    while (step.action === "send") {
      const target = step.target === "primary" ? spec.primary : spec.fallback!;
      state.target = step.target;
      state.attemptOnTarget = step.attempt;
      attempts++;
      const { result, seq } = await this.attempt(spec, target, step.attempt, step.target === "fallback");
      evidence.push(seq);
      last = { result, seq, target };
      let cls: AttemptClass = classifyBxmlAttempt(result);
      if (cls.kind === "bxml" && this.o.strictContentType && result.kind === "response" && !isXmlContentType(headerValue(result.headers, "content-type"))) {
        cls = { kind: "failure", reason: `HTTP ${result.status} with Content-Type ${headerValue(result.headers, "content-type") ?? "(none)"} (the webhook client's strict content type is on)` };
      }
      if (cls.kind !== "bxml") reasons.push(`${target.url} (${step.target}, attempt ${step.attempt}): ${cls.reason}`);
      if (spec.signal?.aborted) break;
      step = nextStep(state, cls, {
        hasFallback: !!spec.fallback,
        connectionRetries: this.o.connectionRetries ?? 1,
      });
    }
    const method = (state.target === "primary" ? spec.primary.method : spec.fallback?.method) ?? "POST";
    if (step.action === "accept" && last && last.result.kind === "response") {
      const contentType = headerValue(last.result.headers, "content-type");
      this.o.timeline.append(
        "webhook.result",
        {
          eventType: spec.eventType,
          url: last.target.url,
          method,
          ok: true,
          status: last.result.status,
          attempts,
          usedFallback: state.target === "fallback",
          payload: spec.payload,
        },
        { callId: spec.callId },
      );
      if (!isXmlContentType(contentType)) {
        this.o.timeline.append(
          "finding",
          {
            code: "webhook.content-type",
            level: "warning",
            message: `${spec.eventType} reply from ${last.target.url} has Content-Type ${contentType ?? "(none)"}; Bandwidth expects application/xml. Accepted because the body is BXML ${decided("bxml-webhooks")}.`,
            evidence: [last.seq],
          },
          { callId: spec.callId },
        );
      }
      return {
        ok: true,
        text: last.result.body,
        bytes: last.result.raw,
        url: last.target.url,
        contentType,
        status: last.result.status,
        usedFallback: state.target === "fallback",
        exchangeSeq: last.seq,
      };
    }
    const errorMessage = spec.signal?.aborted
      ? `${spec.eventType} delivery abandoned: the call ended`
      : `${spec.eventType} webhook failed: ${reasons.join("; ")}`;
    this.o.timeline.append(
      "webhook.result",
      {
        eventType: spec.eventType,
        url: last?.target.url ?? spec.primary.url,
        method,
        ok: false,
        status: last && (last.result.kind === "response" || last.result.kind === "too-large") ? last.result.status : undefined,
        attempts,
        usedFallback: state.target === "fallback",
        error: errorMessage,
        payload: spec.payload,
      },
      { callId: spec.callId },
    );
    return { ok: false, errorMessage, evidence };
  }

  /** A notification webhook (§6.1): retried once on a connection error; reply body ignored. */
  async notify(spec: WebhookSpec): Promise<NotifyResult> {
    let attempt = 1;
    let out: { result: HttpResult; seq: number };
    let cls: AttemptClass;
    const evidence: number[] = [];
    for (;;) {
      out = await this.attempt(spec, spec.primary, attempt, false);
      evidence.push(out.seq);
      cls = classifyNotificationAttempt(out.result);
      if (cls.kind === "connection-error" && attempt <= (this.o.connectionRetries ?? 1) && !spec.signal?.aborted) {
        attempt++;
        continue;
      }
      break;
    }
    const ok = cls.kind === "bxml";
    const status = out.result.kind === "response" || out.result.kind === "too-large" ? out.result.status : undefined;
    const error = ok ? undefined : `${spec.eventType} to ${spec.primary.url}: ${cls.kind === "bxml" ? "" : cls.reason}`;
    this.o.timeline.append(
      "webhook.result",
      {
        eventType: spec.eventType,
        url: spec.primary.url,
        method: spec.primary.method ?? "POST",
        ok,
        status,
        attempts: attempt,
        usedFallback: false,
        error,
        payload: spec.payload,
      },
      { callId: spec.callId },
    );
    if (!ok) {
      this.o.timeline.append(
        "finding",
        {
          code: "webhook.notification-failed",
          level: "warning",
          message: `${error}. Notification failures do not affect the call.`,
          evidence,
        },
        { callId: spec.callId },
      );
    }
    return { ok, status, error };
  }
}
