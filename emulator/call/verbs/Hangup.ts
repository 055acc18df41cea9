// <Hangup> (bandwidth.md §2.7): hangs up an answered call or rejects an unanswered inbound one;
// disconnect cause `hangup`.
import type { VerbExecutor } from "../executor.js";

export const Hangup: VerbExecutor = async () => ({ kind: "end", cause: "hangup" });
