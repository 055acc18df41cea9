// A call's webhooks (bandwidth.md §1.5, §6.1): a verb's URL attributes resolved against its document's
// URL, BXML requests tied to the call's life, and notifications that never block the call but are all
// recorded before its result is final.

import type { BxmlElement } from "../bxml/model.js";
import type { Payload } from "../protocol/webhooks.js";
import type { WebhookClient, WebhookSpec, WebhookTarget } from "../webhooks/client.js";
import { resolveUrl } from "../webhooks/url.js";
import { creds, method, str } from "./attrs.js";

export interface Targets {
  primary: WebhookTarget;
  fallback?: WebhookTarget;
}

/** What a call's webhook request carries of the call: its id, its callback timeout, its end. */
export interface RequestOwner {
  readonly id: string;
  readonly callbackTimeoutMs?: number;
  /** Fires when the call ends: a BXML request still waiting is abandoned then. */
  readonly signal: AbortSignal;
}

/** Resolve a URL attribute against the document's URL (§1.5); throws a located message. */
export function resolveAgainst(value: string, base: string | undefined): string {
  const r = resolveUrl(value, base);
  if (!r.ok) throw new Error(r.error);
  return r.url;
}

/** Primary + fallback targets from a verb's `<prefix>Url` family of attributes (§2.x). */
export function verbTargets(
  el: BxmlElement,
  prefix: string,
  resolve: (value: string) => string,
  opts: { fallback?: boolean; user?: string; pass?: string } = {},
): Targets | undefined {
  const url = str(el, `${prefix}Url`);
  if (url === undefined) return undefined;
  const primary: WebhookTarget = {
    url: resolve(url),
    method: method(el, `${prefix}Method`),
    credentials: creds(el, opts.user ?? "username", opts.pass ?? "password"),
  };
  const fb = opts.fallback === false ? undefined : str(el, `${prefix}FallbackUrl`);
  const fallback: WebhookTarget | undefined =
    fb === undefined ? undefined : { url: resolve(fb), method: method(el, `${prefix}FallbackMethod`), credentials: creds(el, "fallbackUsername", "fallbackPassword") };
  return { primary, fallback };
}

/** A BXML-returning webhook of the call (its reply becomes the next document). */
export function bxmlRequestOf(owner: RequestOwner, eventType: string, payload: Payload, t: Targets): WebhookSpec {
  return { eventType, payload, primary: t.primary, fallback: t.fallback, timeoutMs: owner.callbackTimeoutMs, callId: owner.id, signal: owner.signal };
}

/** The call's notification webhooks (§6.1): sent without waiting, settled before the result is final. */
export class Notifications {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly client: Pick<WebhookClient, "notify">,
    private readonly owner: Omit<RequestOwner, "signal">,
  ) {}

  /** Fire one; never blocks the caller. Returns the delivery promise (it never rejects). */
  send(eventType: string, payload: Payload, target: WebhookTarget): Promise<unknown> {
    const p = this.client.notify({ eventType, payload, primary: target, timeoutMs: this.owner.callbackTimeoutMs, callId: this.owner.id }).catch(() => undefined);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Resolves once every notification sent so far, and any sent meanwhile, has been delivered or given up. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
