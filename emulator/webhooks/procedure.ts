// ED-8 (bandwidth.md §6.2) as pure decisions: how one attempt is classified and what comes next.
// The HTTP edge (http.ts) produces results; the client (client.ts) loops over `nextStep`.

import type { HttpResult } from "./http.js";
import { isBxmlRooted } from "./sniff.js";

export type AttemptClass =
  /** 2xx and the body's first element is <Response>/<Bxml> (may still be malformed → invalid-bxml). */
  | { kind: "bxml" }
  /** refused, reset, DNS, TLS: retried once at the same URL. */
  | { kind: "connection-error"; reason: string }
  /** timeout, non-2xx (3xx included, OPEN-19), not BXML, too large: go to the fallback. */
  | { kind: "failure"; reason: string };

export function classifyBxmlAttempt(r: HttpResult): AttemptClass {
  switch (r.kind) {
    case "connection-error":
      return { kind: "connection-error", reason: `connection error (${r.error})` };
    case "timeout":
      return { kind: "failure", reason: `timeout: ${r.error}` };
    case "too-large":
      return { kind: "failure", reason: `HTTP ${r.status} reply body exceeded the response size cap (${r.bytes} bytes read, reading stopped)` };
    case "response":
      if (r.status < 200 || r.status > 299) return { kind: "failure", reason: `HTTP ${r.status}` };
      if (!isBxmlRooted(r.body)) {
        const what = r.body.trim() === "" ? "an empty body" : "a body that is not BXML (first element is not <Response> or <Bxml>)";
        return { kind: "failure", reason: `HTTP ${r.status} with ${what}` };
      }
      return { kind: "bxml" };
  }
}

/** Notification webhooks: any 2xx is success; the body is ignored (§6.1). */
export function classifyNotificationAttempt(r: HttpResult): AttemptClass {
  if (r.kind === "connection-error") return { kind: "connection-error", reason: `connection error (${r.error})` };
  if (r.kind === "timeout") return { kind: "failure", reason: `timeout: ${r.error}` };
  if (r.status < 200 || r.status > 299) return { kind: "failure", reason: `HTTP ${r.status}` };
  return { kind: "bxml" }; // "delivered"
}

export interface ProcedureState {
  target: "primary" | "fallback";
  /** Attempts made on the current target. */
  attemptOnTarget: number;
}

export type Step =
  | { action: "send"; target: "primary" | "fallback"; attempt: number }
  | { action: "accept" }
  | { action: "give-up" };

export interface ProcedurePolicy {
  hasFallback: boolean;
  /** Resends after a connection error, per target (ED-8: 1). */
  connectionRetries: number;
}

export const FIRST_STEP: Step = { action: "send", target: "primary", attempt: 1 };

export function nextStep(state: ProcedureState, outcome: AttemptClass, policy: ProcedurePolicy): Step {
  if (outcome.kind === "bxml") return { action: "accept" };
  if (outcome.kind === "connection-error" && state.attemptOnTarget <= policy.connectionRetries) {
    return { action: "send", target: state.target, attempt: state.attemptOnTarget + 1 };
  }
  if (state.target === "primary" && policy.hasFallback) return { action: "send", target: "fallback", attempt: 1 };
  return { action: "give-up" };
}
