// <Bridge> (bandwidth.md §2.2): bridges another emulated call (the target, by callId) onto this
// one. The target's running BXML is cancelled. If this call leaves first only
// `bridgeTargetComplete` is sent (reply runs on the target; no URL → the target is hung up); if the
// target leaves first only `bridgeComplete` (reply runs here; no URL → next verb). A target that is
// unanswered outbound, forwarding, or gone → `bridgeComplete` with cause and errorMessage.

import { bridgeCompletePayload, bridgeTargetCompletePayload } from "../../protocol/webhooks.js";
import { text } from "../attrs.js";
import type { DocSource, VerbHost } from "../host.js";
import { NEXT, type VerbExecutor, type VerbOutcome } from "../executor.js";
import { raceAbort } from "../sleep.js";
import type { BxmlElement } from "../../bxml/model.js";

export const Bridge: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  const targetId = text(el);
  const target = call.findCall(targetId);
  const refuse = (cause: "busy" | "rejected" | "unknown", errorMessage: string): VerbOutcome => {
    call.record("note", { message: `Bridge to ${targetId} refused: ${errorMessage}` });
    return completeHere(call, el, baseUrl, { cause, errorMessage, errorId: call.ids.errorId() });
  };
  if (!target || target.ended) return refuse("unknown", `Call ${targetId} is not active`);
  if (target === call) return refuse("rejected", `Call ${targetId} cannot be bridged with itself`);
  if (target.peer) return refuse("busy", `Call ${targetId} is already bridged with another call`);
  if (target.released) return refuse("rejected", `Call ${targetId} is executing Forward`);
  if (target.direction === "outbound" && target.state !== "answered") return refuse("rejected", `Call ${targetId} is outbound and not answered`);

  let release!: (next: DocSource | undefined) => void;
  const until = new Promise<DocSource | undefined>((r) => (release = r));
  let targetLeft!: () => void;
  const targetLeftP = new Promise<void>((r) => (targetLeft = r));
  target.interrupt({ kind: "hold", until, onLeave: () => targetLeft() });
  call.peer = { kind: "bridge", leave: () => undefined };
  target.peer = { kind: "bridge", leave: () => undefined };
  call.record("note", { message: `bridged with ${targetId}` });
  try {
    await raceAbort(targetLeftP, signal);
  } catch (e) {
    // This call left first (hang-up or REST redirect): only bridgeTargetComplete.
    call.peer = undefined;
    target.peer = undefined;
    const t = target.ended ? undefined : target.targets(el, "bridgeTargetComplete", baseUrl);
    if (t) {
      release({
        kind: "fetch",
        context: "initiate",
        spec: target.bxmlRequest("bridgeTargetComplete", bridgeTargetCompletePayload(target.snapshot(), target.now()), t),
      });
    } else release(undefined); // §2.2: absent → the target is hung up
    throw e;
  }
  // The target left first: only bridgeComplete, on this call.
  call.peer = undefined;
  target.peer = undefined;
  release(undefined);
  return completeHere(call, el, baseUrl);
};

function completeHere(call: VerbHost, el: BxmlElement, baseUrl: string | undefined, end?: { cause: string; errorMessage?: string; errorId?: string }): VerbOutcome {
  if (call.ended) return NEXT;
  const t = call.targets(el, "bridgeComplete", baseUrl);
  if (!t) return NEXT;
  return { kind: "fetch", request: call.bxmlRequest("bridgeComplete", bridgeCompletePayload(call.snapshot(), call.now(), end), t) };
}

