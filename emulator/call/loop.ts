// The document loop (bandwidth.md §1.4): verbs run one after another on the call's clock; a
// BXML-returning webhook replaces the rest of the document; a REST interruption (ED-5) aborts the
// running verb and continues with the new document; a document that runs out hangs up.

import { keepAliveAfter } from "../bxml/keepalive.js";
import { childElements, type BxmlElement } from "../bxml/model.js";
import { answerPayload, initiatePayload } from "../protocol/webhooks.js";
import { attrsRecord, bool, str } from "./attrs.js";
import type { LoadedDocument } from "./document.js";
import { VerbError, type VerbOutcome } from "./executor.js";
import type { CallInit, DocSource, VerbHost } from "./host.js";
import { Aborted } from "./sleep.js";
import { bxmlRequestOf } from "./webhooks.js";
import { executorFor } from "./verbs/index.js";
import { decided } from "../decisions.js";

/** What the loop needs of its call beyond what a verb may do. */
export type LoopOwner = Omit<VerbHost, "released"> & {
  /** Forward / Refer success: the app no longer controls the call. */
  released: boolean;
  /** A Transfer B-leg: at the end of its document the legs are bridged instead of hanging up (§2.28). */
  readonly bLeg?: boolean;
  /** Fires when the current document run is interrupted (REST, hold). */
  readonly runSignal: AbortSignal;
  /** The document that replaces the interrupted one, if any (a fresh run starts then). */
  takeInterrupt(): DocSource | undefined;
  /** OPEN-1: answer an unanswered inbound call. */
  answer(): Promise<void>;
};

/** The first document's request: `initiate` (inbound), `answer` (outbound), `transferAnswer` (B-leg). */
export function firstDocument(call: LoopOwner, first: NonNullable<CallInit["first"]>, init: Pick<CallInit, "initiateExtras">, machine?: { value: string; duration: string }): DocSource {
  const payload = first.payload
    ? first.payload()
    : first.eventType === "initiate"
      ? { ...initiatePayload(call.snapshot(), call.now()), ...(init.initiateExtras ?? {}) }
      : answerPayload(call.snapshot(), call.now(), machine);
  return { kind: "fetch", context: first.context ?? "initiate", spec: bxmlRequestOf(call, first.eventType, payload, first) };
}

/** Obtain and execute documents until none follows or the call ends. */
export async function runDocuments(call: LoopOwner, first: DocSource, obtain: (s: DocSource) => Promise<LoadedDocument | undefined>): Promise<void> {
  let source: DocSource | undefined = first;
  while (source && !call.ended) {
    const doc = await obtain(source);
    if (!doc) {
      source = call.takeInterrupt();
      continue;
    }
    source = await executeDocument(call, doc);
  }
}

/** Execute one document; returns where the next document comes from, or undefined at the end. */
async function executeDocument(call: LoopOwner, doc: LoadedDocument): Promise<DocSource | undefined> {
  const signal = AbortSignal.any([call.runSignal, call.signal]);
  const verbs = childElements(doc.root);
  for (const el of verbs) {
    if (call.ended) return undefined;
    if (signal.aborted) return call.takeInterrupt();
    const executor = executorFor(el.name);
    if (!executor) {
      // Only reachable in lenient mode (ED-6a): skip the element.
      call.record("note", { message: `skipped unknown element <${el.name}> (the carrier setting strictUnknownElements is off) ${decided("unknown-elements")}` });
      continue;
    }
    // OPEN-1: the first verb other than Tag, Redirect, Hangup, Forward, Ring answerCall=false answers.
    if (call.state === "initiated" && call.direction === "inbound" && answers(el)) await call.answer();
    // §1.6: a `tag` attribute sets the call's tag when the verb runs; its own webhook carries it.
    const tagAttr = str(el, "tag");
    if (tagAttr !== undefined && el.name !== "Tag" && doc.context !== "conference") call.setTag(tagAttr);
    call.record("verb.start", { verb: el.name, line: el.pos.line, col: el.pos.col, attrs: attrsRecord(el) });
    let outcome: VerbOutcome;
    try {
      outcome = await executor({ call, el, baseUrl: doc.url, context: doc.context, signal });
    } catch (e) {
      if (e instanceof Aborted || signal.aborted) {
        call.record("verb.end", { verb: el.name, outcome: call.ended ? "call-ended" : "interrupted" });
        if (call.ended) return undefined;
        return call.takeInterrupt();
      }
      const msg = e instanceof Error ? e.message : String(e);
      call.record("verb.end", { verb: el.name, outcome: `error: ${msg}` });
      call.finding("call.verb-error", `<${el.name}> at line ${el.pos.line}: ${msg}`);
      await call.finish("application-error", `<${el.name}> at line ${el.pos.line}: ${e instanceof VerbError ? e.reason : msg}`);
      return undefined;
    }
    call.record("verb.end", { verb: el.name, outcome: outcome.kind });
    if (signal.aborted && !call.ended) return call.takeInterrupt();
    switch (outcome.kind) {
      case "next":
        continue;
      case "fetch":
        return { kind: "fetch", spec: outcome.request, context: outcome.context ?? "initiate" };
      case "end":
        await call.finish(outcome.cause, outcome.errorMessage);
        return undefined;
      case "release":
        call.released = true;
        await call.whenEnded();
        return undefined;
    }
  }
  if (call.bLeg && !call.ended && !signal.aborted) {
    // §2.28: after the transferAnswer document the B-leg is bridged to the A-leg.
    call.record("note", { message: "transferAnswer document done: legs bridged" });
    await endOrInterrupt(call);
    return call.takeInterrupt();
  }
  // §1.4 implicit Hangup: the document ran out without requesting BXML.
  if (!call.ended && !signal.aborted) {
    call.record("note", { message: `end of document: implicit Hangup${unheldStream(verbs)}` });
    await call.finish("hangup");
    return undefined;
  }
  return call.takeInterrupt();
}

/** Resolves when the call ends or its document run is interrupted. */
function endOrInterrupt(call: LoopOwner): Promise<void> {
  return new Promise((resolve) => {
    const s = call.runSignal;
    if (s.aborted || call.ended) return resolve();
    s.addEventListener("abort", () => resolve(), { once: true });
    call.signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Why the implicit Hangup ends a stream at once: a StartStream that nothing after it holds (§3.2). */
function unheldStream(verbs: BxmlElement[]): string {
  const i = verbs.findIndex((v, j) => v.name === "StartStream" && keepAliveAfter(verbs, j).verdict === "none");
  return i < 0 ? "" : `; nothing after the <StartStream> at line ${verbs[i].pos.line} holds the call open`;
}

/** OPEN-1: does this verb answer an unanswered inbound call? */
function answers(el: BxmlElement): boolean {
  if (el.name === "Tag" || el.name === "Redirect" || el.name === "Hangup" || el.name === "Forward") return false;
  if (el.name === "Ring" && !bool(el, "answerCall", true)) return false;
  return true;
}
