// <Pause> (bandwidth.md §2.8): silence for `duration` seconds (default 1); no webhooks.
import { num } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";

export const Pause: VerbExecutor = async ({ call, el, signal }) => {
  await call.sleep(num(el, "duration", 1) * 1000, signal);
  return NEXT;
};
