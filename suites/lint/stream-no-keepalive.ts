// StartStream does not block (§3.2): when nothing after it holds the call, the implicit Hangup ends
// the call and the socket closes almost at once. What counts as holding the call (§3.3, decided here):
//   - StopStream wait="true" on this stream, or on another stream started earlier in the document
//     (or an `s-…` id from an earlier document): it blocks until that socket closes;
//   - any blocking verb (Pause, Ring, SpeakSentence, PlayAudio, Gather, Record, SendDtmf, Bridge,
//     Conference, Transfer, Refer) and Connect (OPEN-17: the real platform connects the call);
//   - Redirect: a new document follows and the stream survives it (ED-5).
// What ends the call first: Hangup, Forward (error). A StopStream (no wait) naming this stream
// before anything holds the call leaves the call up but the stream carries almost no audio: a
// warning, same rule. Immediate verbs (Tag, StartRecording, StartGather, StopGather, other
// StopStreams…) are skipped over. Streams the carrier would reject (duplicate name, track limit)
// are left to those rules. Duration of a Pause is not judged (the conformance case does, live).
// Only call documents (initiate context): a transferAnswer reply that ends is followed by the
// bridge, not a hang-up (§2.27), and conference BXML cannot hold StartStream at all.
import type { PitfallRule } from "./types.js";
import { attrValue, getSpec, isTrue, nameOf, report, verbs, where } from "./util.js";
import { STREAMS, replay } from "./sessions.js";
import type { BxmlElement } from "./util.js";

type Step = "holds" | "ends" | "continue";

function step(next: BxmlElement, streamName: string | undefined, earlierNames: Set<string>): Step {
  switch (next.name) {
    case "StopStream": {
      const target = attrValue(next, "name");
      if (target !== undefined && target === streamName) return isTrue(attrValue(next, "wait")) ? "holds" : "ends";
      const known = target !== undefined && (earlierNames.has(target) || target.startsWith("s-"));
      return known && isTrue(attrValue(next, "wait")) ? "holds" : "continue";
    }
    case "Hangup":
    case "Forward":
      return "ends";
    case "Redirect":
    case "Connect":
      return "holds";
  }
  const kind = getSpec(next.name)?.execution;
  if (kind === "blocking" || kind === "document-terminal") return "holds";
  if (kind === "terminal") return "ends";
  return "continue";
}

const rule: PitfallRule = {
  id: "stream/no-keepalive",
  level: "error",
  // bandwidth.md §3.2, §3.3; conformance.md answer.bxml.keepalive
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  description: "StartStream with nothing after it that holds the call open: the call hangs up at once (warning when a StopStream ends the stream first).",
  check(root, ctx) {
    if (ctx.context !== "initiate") return [];
    const out = [];
    const list = verbs(root);
    const started = new Set<string>();
    const rejected = new Set(replay(root, STREAMS).filter((o) => o.kind !== "started").map((o) => o.session.el));
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (el.name !== "StartStream" || rejected.has(el)) continue;
      const name = nameOf(el);
      const bidi = (attrValue(el, "mode") ?? "").trim().toLowerCase() === "bidirectional";
      let verdict: Step = "continue";
      let by: BxmlElement | undefined;
      for (const next of list.slice(i + 1)) {
        verdict = step(next, name, started);
        if (verdict !== "continue") {
          by = next;
          break;
        }
      }
      if (name) started.add(name);
      if (verdict === "holds") continue;
      const hint = name
        ? `add <StopStream name="${name}" wait="true"/> after it (the call then lasts until your app closes the socket), or a long <Pause duration="…"/>`
        : `give it a name and add <StopStream name="…" wait="true"/> after it, or add a long <Pause duration="…"/>`;
      const consequence = bidi
        ? "the call ends at once, the WebSocket closes right after it opens, and the app cannot talk back"
        : "the call ends at once and the stream closes right after it opens";
      if (by && by.name === "StopStream") {
        const msg = `the ${where(by)} stops this stream before any verb that takes time runs, so the stream carries almost no audio${bidi ? " and the app cannot talk back" : ""}. Put the verbs that should run while streaming (e.g. <Pause>, <Gather>) before the StopStream, or make it <StopStream name="${name}" wait="true"/>.`;
        out.push(report(this, el.pos, msg, "warning"));
        continue;
      }
      let what: string;
      if (by) what = `the ${where(by)} ends the call right after the stream starts, so`;
      else if (i === list.length - 1) what = "StartStream is the last verb and does not block: the implicit Hangup follows, so";
      else what = "StartStream does not block and no verb after it holds the call open: the implicit Hangup follows, so";
      out.push(report(this, el.pos, `${what} ${consequence}. To keep the call up, ${hint}.`));
    }
    return out;
  },
};
export default rule;
