// <Redirect> (bandwidth.md §2.12): asks `redirectUrl` for the next document; verbs after it never run.
import { redirectPayload } from "../../protocol/webhooks.js";
import type { VerbExecutor } from "../executor.js";

export const Redirect: VerbExecutor = async ({ call, el, baseUrl }) => {
  const t = call.targets(el, "redirect", baseUrl)!;
  return { kind: "fetch", request: call.bxmlRequest("redirect", redirectPayload(call.snapshot(), call.now()), t) };
};
