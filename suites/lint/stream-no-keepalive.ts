// StartStream with nothing after it that holds the call (bandwidth.md §3.2, §3.3). What holds and
// what ends the call is the emulator's own answer (emulator/bxml/keepalive.ts), shared with the
// conformance case answer.bxml.keepalive and the carrier. A StopStream (no wait) naming this stream
// before anything holds the call leaves the call up but the stream carries almost no audio: a
// warning, same rule. Streams the carrier would reject (duplicate name, track limit) are left to
// those rules. Duration of a Pause is not judged (the conformance case does, live).
// Only call documents (initiate context): a transferAnswer reply that ends is followed by the
// bridge, not a hang-up (§2.27), and conference BXML cannot hold StartStream at all.
import { attrValue, nameOf, pitfallRule, verbs, where } from "./util.js";
import { STREAMS, replay } from "./sessions.js";
import { keepAliveAfter } from "../../emulator/bxml/keepalive.js";

export default pitfallRule({
  id: "stream/no-keepalive",
  level: "error",
  // bandwidth.md §3.2, §3.3; conformance.md answer.bxml.keepalive
  docs: ["https://dev.bandwidth.com/docs/voice/bxml/startStream"],
  description: "StartStream with nothing after it that holds the call open: the call hangs up at once (warning when a StopStream ends the stream first).",
  find(root, emit, ctx) {
    if (ctx.context !== "initiate") return;
    const list = verbs(root);
    const started = new Set<string>();
    const rejected = new Set(replay(root, STREAMS).filter((o) => o.kind !== "started").map((o) => o.session.el));
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (el.name !== "StartStream" || rejected.has(el)) continue;
      const name = nameOf(el);
      const bidi = (attrValue(el, "mode") ?? "").trim().toLowerCase() === "bidirectional";
      const { verdict, by } = keepAliveAfter(list, i, started);
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
        emit(el.pos, msg, "warning");
        continue;
      }
      let what: string;
      if (by) what = `the ${where(by)} ends the call right after the stream starts, so`;
      else if (i === list.length - 1) what = "StartStream is the last verb and does not block: the implicit Hangup follows, so";
      else what = "StartStream does not block and no verb after it holds the call open: the implicit Hangup follows, so";
      emit(el.pos, `${what} ${consequence}. To keep the call up, ${hint}.`);
    }
  },
});
