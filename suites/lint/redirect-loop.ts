// §1.5 / ED-11: a Redirect whose URL resolves to the document's own URL asks for the same document
// again: an endless loop (Bandwidth-Samples/voice-redirect-loop-js does it on purpose). Knowable only
// with a base URL. Info: the emulator caps it at 100 BXML requests and ends the call.
import { attr, pitfallRule, resolveUrl, verbs } from "./util.js";

const strip = (u: string) => u.replace(/#.*$/, "");

export default pitfallRule({
  id: "redirect/loop",
  level: "info",
  // bandwidth.md §1.4 (Loops), §1.5, §10.1, ED-11
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "Redirect to the URL that served the document itself (needs --base-url): an endless loop unless the app varies its answer.",
  find(root, emit, ctx) {
    if (!ctx.baseUrl) return;
    const self = resolveUrl(ctx.baseUrl, undefined);
    if (!self) return;
    for (const el of verbs(root)) {
      if (el.name !== "Redirect") continue;
      const a = attr(el, "redirectUrl");
      if (!a) continue;
      const target = resolveUrl(a.value, self);
      if (target && strip(target) === strip(self)) {
        emit(a.valuePos, `redirectUrl resolves to ${target}, the URL that served this document: unless your app answers differently the second time, the call loops forever (the emulator ends it after 100 BXML requests, application-error). Redirect elsewhere, or make sure the loop ends.`);
      }
    }
  },
});
