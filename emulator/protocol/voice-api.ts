// Request bodies of the Voice REST API (bandwidth.md §7), defined once for the API server, the call
// engine that applies them, and tests.

/** updateCall — `POST /accounts/{accountId}/calls/{callId}` (§7.6). */
export interface UpdateCallBody {
  state: "active" | "completed";
  redirectUrl?: string;
  redirectMethod?: "GET" | "POST";
  username?: string;
  password?: string;
  redirectFallbackUrl?: string;
  redirectFallbackMethod?: "GET" | "POST";
  fallbackUsername?: string;
  fallbackPassword?: string;
  tag?: string;
}

/** What a redirect needs (updateCall with `state: "active"`, or a scripted redirect). */
export type RedirectRequest = Omit<UpdateCallBody, "state" | "redirectUrl"> & { redirectUrl: string };

/** Voice API responses (createCall, callState, recording metadata) spell an absent optional field as null, never leave it out. */
export function nullWhenAbsent(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === undefined ? null : v]));
}
