// Steering a running call from outside its BXML: the caller's scripted actions (counted from the first
// stream, or one now through `bwemu serve`'s control API) and the REST updates (bandwidth.md §7.6,
// §7.7): both interrupt the running document (ED-5).

import { redirectPayload } from "../protocol/webhooks.js";
import type { RedirectRequest } from "../protocol/voice-api.js";
import type { WebhookTarget } from "../webhooks/client.js";
import { credentials } from "../webhooks/request.js";
import { resolveUrl } from "../webhooks/url.js";
import type { VerbHost } from "./host.js";
import { stopStream } from "./streams.js";
import type { CallAction, Credentials, EndedBy } from "./types.js";
import { bxmlRequestOf } from "./webhooks.js";

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** A REST request or scripted action interrupted the running document (ED-5). */
    "call.interrupt": { via: "rest-redirect" | "rest-bxml" | "action"; url?: string };
  }
}

/** What steering needs of its call beyond what a verb may do. */
export type ControlOwner = VerbHost & {
  hangup(reason: string, by: EndedBy): void;
  /** The base for relative URLs (OPEN-5): the URL of the most recent document. */
  readonly lastDocUrl?: string;
};

/** The scripted actions, each at its time from now. */
export function scheduleActions(call: ControlOwner, actions: readonly CallAction[], appCreds: Credentials | undefined): void {
  for (const a of actions) {
    void call
      .sleep(a.atMs, call.signal)
      .then(() => runAction(call, a, appCreds))
      .catch(() => undefined);
  }
}

/** One caller action now. `appCreds`: the credentials `initiate` was sent with. */
export async function runAction(call: ControlOwner, a: CallAction, appCreds: Credentials | undefined): Promise<void> {
  if (call.ended) return;
  switch (a.action) {
    case "hangup":
      call.hangup("scripted caller hang-up", "caller-scripted");
      return;
    case "dtmf":
      await call.keypad.type(a.digits, a.gapMs, call.signal);
      return;
    case "redirect": {
      // A scripted redirect stands for the app's own updateCall: it carries the credentials the
      // app's webhooks need.
      const r = restRedirect(call, { redirectUrl: a.redirectUrl, ...(appCreds ? { username: appCreds.username, password: appCreds.password } : {}) }, "action");
      if (!r.ok) call.record("note", { message: `scripted redirect not applied: ${r.message}` });
      return;
    }
    case "carrier-end":
      call.record("note", { message: `scripted carrier end: ${a.cause}` });
      await call.finish(a.cause, a.errorMessage ?? `ended by the test scenario (${a.cause})`, "carrier");
      return;
    default:
      for (const s of call.streams.values()) s.stream.inject(a);
  }
}

/** updateCall state=active: stop the running verb and fetch new BXML (ED-5: streams survive). */
export function restRedirect(call: ControlOwner, body: RedirectRequest, via: "rest-redirect" | "action"): { ok: true } | { ok: false; message: string } {
  const primaryUrl = resolveUrl(body.redirectUrl, call.lastDocUrl);
  if (!primaryUrl.ok) return { ok: false, message: primaryUrl.error };
  let fallback: WebhookTarget | undefined;
  if (body.redirectFallbackUrl) {
    const f = resolveUrl(body.redirectFallbackUrl, call.lastDocUrl);
    if (!f.ok) return { ok: false, message: f.error };
    fallback = { url: f.url, method: body.redirectFallbackMethod ?? "POST", credentials: credentials(body.fallbackUsername, body.fallbackPassword) };
  }
  if (body.tag !== undefined) call.setTag(body.tag);
  const primary: WebhookTarget = { url: primaryUrl.url, method: body.redirectMethod ?? "POST", credentials: credentials(body.username, body.password) };
  call.record("call.interrupt", { via, url: primary.url });
  stopStreamsIfConfigured(call);
  // The payload's snapshot is taken now, when the redirect is asked for.
  call.interrupt({ kind: "fetch", context: "initiate", spec: bxmlRequestOf(call, "redirect", redirectPayload(call.snapshot(), call.now()), { primary, fallback }) });
  return { ok: true };
}

/** PUT …/bxml: replace the document (OPEN-20: invalid → invalid-bxml after 204; OPEN-5 base). */
export function restReplaceBxml(call: ControlOwner, text: string): void {
  call.record("call.interrupt", { via: "rest-bxml" });
  stopStreamsIfConfigured(call);
  call.interrupt({ kind: "inline", text, baseUrl: call.lastDocUrl, context: "initiate", via: "PUT bxml" });
}

/** ED-5 default: streams survive REST replacement; the alternative setting stops them (ED-3 order). */
function stopStreamsIfConfigured(call: ControlOwner): void {
  if (!call.settings.stopStreamsOnReplace) return;
  for (const e of [...call.streams.values()]) void stopStream(call, e);
}
