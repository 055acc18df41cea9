import type { ConformanceCase } from "../types.js";
import { fail, firstWebhook, pass, pick } from "../observe.js";

export default {
  id: "answer.auth.basic",
  level: "MUST",
  title: "The BXML endpoint enforces callback credentials",
  expectation: "without the configured credentials the request is refused (401); with them it is served",
  // bandwidth.md §6.1 (HTTP Basic from the application's CallbackCreds)
  docs: ["https://dev.bandwidth.com/docs/voice/webhooks/initiate", "https://www.rfc-editor.org/rfc/rfc7617"],
  outcomes: "401 without credentials and 2xx with them; skipped when no credentials are configured",
  scenarios: ["basic", "initiate-no-auth"],
  requires: ["callbackAuth"],
  against: "initiate-no-auth",
  check(withAuth, _ctx, without) {
    const a = firstWebhook(withAuth.call).exchange;
    const b = firstWebhook(without!.call).exchange;
    if (a?.data.status === undefined || a.data.status > 299) return fail("2xx with credentials", `HTTP ${a?.data.status ?? "none"}`, pick(a));
    if (b?.data.status !== 401) return fail("401 without credentials", `HTTP ${b?.data.status ?? "none"}: anyone can drive this endpoint`, pick(b));
    return pass("401 without, 2xx with credentials");
  },
} satisfies ConformanceCase;
