// <StartGather> / <StopGather> (bandwidth.md §2.18): report each digit as a `dtmf` notification to
// `dtmfUrl` while other verbs run; paused during <Gather> (the keypad routes digits there).
import { dtmfPayload } from "../../protocol/webhooks.js";
import { creds, method, str } from "../attrs.js";
import type { Call } from "../call.js";
import { NEXT, type VerbExecutor } from "../executor.js";

const KEY = "startGather";

function stop(call: Call): void {
  const detach = call.verbState.get(KEY) as (() => void) | undefined;
  detach?.();
  call.verbState.delete(KEY);
}

export const StartGather: VerbExecutor = async ({ call, el, baseUrl }) => {
  stop(call); // a new StartGather replaces the previous one
  const target = { url: call.resolve(str(el, "dtmfUrl") ?? "", baseUrl), method: method(el, "dtmfMethod"), credentials: creds(el) };
  const detach = call.keypad.attach({
    kind: "startGather",
    onDigit(d) {
      call.notify("dtmf", dtmfPayload(call.snapshot(), call.now(), d), target);
    },
  });
  call.verbState.set(KEY, detach);
  return NEXT;
};

export const StopGather: VerbExecutor = async ({ call }) => {
  stop(call);
  return NEXT;
};
