// What keeps the call open after a StartStream (bandwidth.md §3.2, §3.3). StartStream does not
// block: when nothing after it holds the call, the implicit Hangup ends the call and the socket
// closes almost at once. One answer for the linter, the conformance suite and the carrier:
//   - StopStream wait="true" on this stream, or on another stream started earlier in the document
//     (or an `s-…` id from an earlier document): it blocks until that socket closes;
//   - any blocking verb (Pause, Ring, SpeakSentence, PlayAudio, Gather, Record, SendDtmf, Bridge,
//     Conference, Transfer, Refer) and Connect: the real platform connects the call to the
//     endpoint and holds it there (§2.4, OPEN-17: the emulator holds it the same way);
//   - Redirect: a new document follows and the stream survives it (ED-5).
// What ends the call first: Hangup, and Forward (StartStream has answered the call, OPEN-1, and
// Forward on an answered call ends it with application-error, OPEN-16). A StopStream (no wait)
// naming this stream before anything holds the call ends the stream instead. Immediate verbs (Tag,
// StartRecording, StartGather, StopGather, other StopStreams…) are skipped over.
import { getSpec } from "./catalogue/index.js";
import { childElements, type BxmlElement } from "./model.js";
import { boolAttr, nameOf } from "./values.js";

export type KeepAliveStep = "holds" | "ends" | "continue";

/** What `next` does to a stream named `streamName` that is running when it executes. */
export function keepAliveStep(next: BxmlElement, streamName: string | undefined, earlierNames: ReadonlySet<string> = new Set()): KeepAliveStep {
  switch (next.name) {
    case "StopStream": {
      const target = nameOf(next);
      if (target !== undefined && target === streamName) return boolAttr(next, "wait") === true ? "holds" : "ends";
      const known = target !== undefined && (earlierNames.has(target) || target.startsWith("s-"));
      return known && boolAttr(next, "wait") === true ? "holds" : "continue";
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

export interface KeepAlive {
  /** `holds`: the call stays up; `ends`: `by` ends the call (or, a StopStream, the stream); `none`: the implicit Hangup follows. */
  verdict: "holds" | "ends" | "none";
  /** The verb that decides it (undefined for `none`). */
  by?: BxmlElement;
}

/** Does anything after the StartStream at `verbs[index]` keep the call open? `earlierNames`: streams started before it. */
export function keepAliveAfter(verbs: readonly BxmlElement[], index: number, earlierNames: ReadonlySet<string> = new Set()): KeepAlive {
  const name = nameOf(verbs[index]);
  for (const next of verbs.slice(index + 1)) {
    const step = keepAliveStep(next, name, earlierNames);
    if (step !== "continue") return { verdict: step, by: next };
  }
  return { verdict: "none" };
}

/** The first StartStream among the root's verbs and what follows it, or undefined when there is none. */
export function firstStreamKeepAlive(root: BxmlElement): (KeepAlive & { stream: BxmlElement }) | undefined {
  const verbs = childElements(root);
  const i = verbs.findIndex((v) => v.name === "StartStream");
  return i < 0 ? undefined : { ...keepAliveAfter(verbs, i), stream: verbs[i] };
}
