// <StartGather> / <StopGather> (bandwidth.md §2.18): report each digit as a `dtmf` notification to
// `dtmfUrl` while other verbs run; paused during <Gather> (the keypad routes digits there).
import { dtmfPayload } from "../../protocol/webhooks.js";
import { creds, method, str } from "../attrs.js";
import type { VerbHost } from "../host.js";
import { NEXT, type VerbExecutor } from "../executor.js";

declare module "../host.js" {
  interface VerbState {
    /** Detaches the running StartGather from the keypad. */
    startGather?: () => void;
  }
}

function stop(call: VerbHost): void {
  call.verbState.startGather?.();
  call.verbState.startGather = undefined;
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
  call.verbState.startGather = detach;
  return NEXT;
};

export const StopGather: VerbExecutor = async ({ call }) => {
  stop(call);
  return NEXT;
};
