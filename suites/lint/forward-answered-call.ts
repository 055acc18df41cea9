// OPEN-16 / §2.30: Forward works only on an unanswered inbound call (otherwise the emulator ends the
// call with application-error). Statically knowable: a verb before it already answered the call.
// Which verbs answer (OPEN-1): every verb except Tag, Redirect, Hangup, Forward and
// Ring answerCall="false". Also §2.30: StartGather cannot be combined with Forward.
// Refer's condition (inbound SIP-URI call) depends on the call, never on the document: not checked.
import { attrValue, pitfallRule, verbs, where } from "./util.js";
import type { BxmlElement } from "./util.js";

function answers(el: BxmlElement): boolean {
  if (["Tag", "Redirect", "Hangup", "Forward"].includes(el.name)) return false;
  if (el.name === "Ring") return (attrValue(el, "answerCall") ?? "true").trim().toLowerCase() !== "false";
  return true;
}

export default pitfallRule({
  id: "forward/answered-call",
  level: "warning",
  // bandwidth.md §2.5, §2.30, OPEN-1, OPEN-16
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/forward", "https://dev.bandwidth.com/docs/voice/bxml"],
  description: "Forward after a verb that answers the call (Forward needs an unanswered inbound call) or after StartGather.",
  find(root, emit, ctx) {
    if (ctx.context !== "initiate") return; // elsewhere Forward is a platform error
    const list = verbs(root);
    for (let i = 0; i < list.length; i++) {
      if (list[i].name !== "Forward") continue;
      const before = list.slice(0, i);
      const gather = before.find((v) => v.name === "StartGather");
      const answering = before.find(answers);
      if (gather) {
        emit(list[i].pos, `Forward cannot be combined with StartGather (the ${where(gather)}): Bandwidth does not allow it. Forward before starting the gather, or drop the StartGather.`);
      } else if (answering) {
        emit(list[i].pos, `Forward works only on an unanswered inbound call, but the ${where(answering)} answers the call first: the Forward fails (the emulator ends the call with application-error). Put <Forward> first (after Tag or Ring answerCall="false" at most), or use <Transfer> on an answered call.`);
      }
    }
  },
});
