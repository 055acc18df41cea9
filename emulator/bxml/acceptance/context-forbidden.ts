// §2.30: a verb the document's context forbids. Conference BXML accepts only six verbs (documented
// rejection of the whole document); a transferAnswer reply may not Bridge, Conference, Forward or
// Transfer (consequence undocumented → OPEN-15: invalid-bxml on the B-leg; Connect and Refer are
// not on the allowed list either, stream and transcription verbs are allowed).
import { VERB_NAMES, getSpec } from "../catalogue/index.js";
import type { BxmlContext } from "../model.js";
import { childElements } from "../model.js";
import { platformRule } from "./walk.js";

const WHAT: Record<BxmlContext, string> = {
  initiate: "a call document",
  transferAnswer: "a transferAnswer reply (BXML that runs on the called party before the bridge)",
  conference: "conference BXML (replies to conference events)",
};

function allowedIn(context: BxmlContext): string[] {
  return VERB_NAMES.filter((n) => getSpec(n)!.contexts.includes(context));
}

export default platformRule({
  id: "bxml/context-forbidden",
  // bandwidth.md §2.30, §8 rows 9–10, OPEN-15
  docs: ["https://dev.bandwidth.com/docs/voice/bxml"],
  description: "A verb the document's context does not allow (conference BXML: six verbs; transferAnswer: no Bridge/Conference/Forward/Transfer/Connect/Refer).",
  find(root, emit, ctx) {
    for (const el of childElements(root)) {
      const spec = getSpec(el.name);
      if (!spec || spec.kind !== "verb" || spec.contexts.includes(ctx.context)) continue;
      const consequence =
        ctx.context === "conference"
          ? "Bandwidth rejects the whole conference document"
          : "the B-leg's document is rejected (invalid-bxml)";
      emit(el.pos, `<${el.name}> is not allowed in ${WHAT[ctx.context]}: ${consequence}. Allowed here: ${allowedIn(ctx.context).join(", ")}.`);
    }
  },
});
