// §1.4: verbs after Redirect never run; after Hangup or Forward the app no longer controls the call;
// after a verb whose BXML-requesting URL is present (gatherUrl, recordCompleteUrl,
// transferCompleteUrl, bridgeCompleteUrl, referCompleteUrl) the webhook reply replaces the document.
// One diagnostic, at the first unreachable verb.
import { attrValue, getSpec, pitfallRule, verbs, where } from "./util.js";
import type { BxmlElement } from "./util.js";

/** §1.4 "BXML-requesting URLs", used when the catalogue entry does not list them. */
const REPLACES: Record<string, readonly string[]> = {
  Gather: ["gatherUrl"],
  Record: ["recordCompleteUrl"],
  Transfer: ["transferCompleteUrl"],
  Bridge: ["bridgeCompleteUrl"],
  Refer: ["referCompleteUrl"],
  Redirect: ["redirectUrl"],
};

/** Why the verbs after `el` never run, or undefined when they may. */
function ends(el: BxmlElement): string | undefined {
  if (el.name === "Redirect") return `the ${where(el)} hands the call to the document its redirectUrl returns`;
  if (el.name === "Hangup") return `the ${where(el)} ends the call`;
  if (el.name === "Forward") return `the ${where(el)} passes the call on and your app controls neither leg afterwards`;
  const via = getSpec(el.name)?.replacesDocumentVia ?? REPLACES[el.name] ?? [];
  const present = via.find((a) => (attrValue(el, a) ?? "").trim() !== "");
  if (present) return `the ${where(el)} has ${present}: the BXML its webhook returns replaces the rest of this document`;
  return undefined;
}

export default pitfallRule({
  id: "bxml/unreachable-verb",
  level: "warning",
  // bandwidth.md §1.4 (BXML-requesting URLs, Redirect placement)
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "Verbs after Redirect, Hangup, Forward, or a verb whose *Url replaces the document never run.",
  find(root, emit) {
    const list = verbs(root);
    for (let i = 0; i < list.length - 1; i++) {
      const why = ends(list[i]);
      if (!why) continue;
      const rest = list.length - i - 1;
      const tail = rest > 1 ? `this verb and the ${rest - 1} after it never run` : "this verb never runs";
      const what = rest > 1 ? "them" : "it";
      const fix = list[i].name === "Redirect" || list[i].name === "Hangup" || list[i].name === "Forward"
        ? `move ${what} before the <${list[i].name}> or into the next document`
        : `return ${what} from that webhook instead, or drop the URL attribute to continue in this document`;
      emit(list[i + 1].pos, `${why}, so ${tail}: ${fix}.`);
      return; // one diagnostic, at the first unreachable verb
    }
  },
});
