import type { ConformanceCase } from "../types.js";
import { MAX_DOCUMENT_BYTES } from "../../emulator/bxml/parse.js";
import { answerEvidence, events, fail, firstDocument, pass, pick } from "../observe.js";

export default {
  id: "answer.bxml.well-formed",
  level: "MUST",
  title: "The reply is well-formed BXML",
  expectation: "parses as XML; root Response or Bxml; at most 64 KB",
  // bandwidth.md §1.1, §1.3, §6.2
  docs: ["https://dev.bandwidth.com/docs/voice/bxml", "https://dev.bandwidth.com/docs/voice/webhooks"],
  outcomes: "a well-formed document rooted in <Response> or <Bxml>, ≤ 65 536 bytes",
  scenarios: ["basic"],
  check(c) {
    const doc = firstDocument(c.call);
    const received = events(c.call, "bxml.received")[0];
    // No document: the initiate (or answer) exchange and its result show what came back instead.
    if (!doc)
      return fail("a BXML document", `no document: ${c.call.errorMessage ?? `call ended: ${c.call.disconnectCause}`}`, answerEvidence(c.call));
    if (doc.parseErrors.length || !doc.root) return fail("well-formed BXML", doc.parseErrors.join("; ") || "no root element", pick(received));
    const bytes = Buffer.byteLength(doc.text, "utf8");
    if (bytes > MAX_DOCUMENT_BYTES) return fail(`≤ ${MAX_DOCUMENT_BYTES} bytes`, `${bytes} bytes`, pick(received));
    return pass(`<${doc.root.name}>, ${bytes} bytes`);
  },
} satisfies ConformanceCase;
