// <StopStream> (bandwidth.md §2.22, §3.8): without `wait`, the carrier ends the stream (ED-3) and
// continues at once; with `wait="true"` execution blocks until the app closes the socket, or the
// ED-4 timeout ends the stream. An unknown name does nothing.

import { bool, str } from "../attrs.js";
import { NEXT, type VerbExecutor } from "../executor.js";
import { raceAbort } from "../sleep.js";
import { stopStream } from "../streams.js";
import { decided } from "../../decisions.js";

export const StopStream: VerbExecutor = async ({ call, el, signal }) => {
  const name = str(el, "name") ?? "";
  const entry = call.streams.get(name) ?? [...call.streams.values()].find((s) => s.id === name);
  if (!entry) {
    call.record("note", { message: `StopStream: no active stream named "${name}"; nothing to stop` });
    return NEXT;
  }
  if (!bool(el, "wait", false)) {
    void stopStream(call, entry);
    return NEXT;
  }
  const timeoutMs = call.settings.streamWaitTimeoutMs ?? call.settings.maxCallDurationMs;
  const timedOut = Symbol("timeout");
  const r = await raceAbort(
    Promise.race([entry.finished.then(() => undefined), call.sleep(timeoutMs, signal).then(() => timedOut)]),
    signal,
  );
  if (r === timedOut) {
    call.record("note", { message: `StopStream wait on "${name}" timed out after ${timeoutMs} ms: the carrier ends the stream ${decided("stop-stream-wait")}` });
    await stopStream(call, entry);
  }
  return NEXT;
};
