// The one interface every verb executor implements (emulator/call/verbs/<Verb>.ts).
// An executor runs one verb on one call and says what happens next; it never touches the
// document loop itself. `signal` fires when the document run is interrupted (REST redirect,
// PUT …/bxml: ED-5) or the call ends; a blocking executor must stop waiting then.

import type { BxmlContext, BxmlElement } from "../bxml/model.js";
import { decided, type DecisionKey } from "../decisions.js";
import type { WebhookSpec } from "../webhooks/client.js";
import type { VerbHost } from "./host.js";

export interface VerbContext {
  call: VerbHost;
  el: BxmlElement;
  /** The URL that served the current document (base for relative URLs, §1.5). */
  baseUrl?: string;
  context: BxmlContext;
  signal: AbortSignal;
}

export type VerbOutcome =
  /** Continue with the next verb of the document. */
  | { kind: "next" }
  /** A BXML-returning webhook (§1.4): its reply replaces the rest of the document. */
  | { kind: "fetch"; request: WebhookSpec; context?: BxmlContext }
  /** The call ends with this disconnect cause (§6.6). */
  | { kind: "end"; cause: string; errorMessage?: string }
  /** The app no longer controls the call (Forward, successful Refer); the call ends by other means. */
  | { kind: "release" };

export type VerbExecutor = (ctx: VerbContext) => Promise<VerbOutcome>;

export const NEXT: VerbOutcome = { kind: "next" };

/**
 * A verb failure that ends the call. `reason` is what the app is told (the disconnect's errorMessage:
 * short, like Bandwidth's own); the message adds the link to the carrier decision it rests on, for
 * the finding the user reads.
 */
export class VerbError extends Error {
  constructor(
    readonly reason: string,
    decision?: DecisionKey,
  ) {
    super(decision ? `${reason} ${decided(decision)}` : reason);
  }
}
