// What a conformance case needs before its check can judge, as data (h2spec: the runner sets up, the
// case checks). A case lists `requires`; the runner resolves the first call of its first scenario,
// then each requirement in order, and calls `check` only when all hold. An unmet requirement is the
// verdict, with its reason: `skipped` when the run cannot show it (no credentials configured, an
// upstream bwemu cannot see), `unimplemented` for a bridge profile (no stream, a one-way stream), a
// `fail` when the bridge broke it (no usable answer, no WebSocket, no upstream session).

import { attrValue } from "../emulator/bxml/model.js";
import { answerEvidence, events, fail, firstCall, firstDocument, needsBidirectional, needsStream, noStartStream, skipped, startStream } from "./observe.js";
import type { CallObservation, CaseContext, CaseOutcome, ConformanceCase, UpstreamMode } from "./types.js";
import { directionSkip } from "./direction.js";

/** A requirement's test: undefined when it holds, else the outcome that stands for the check. */
type Precondition = (obs: CallObservation, ctx: CaseContext) => CaseOutcome | undefined;

/** Why a case that needs the stub's records cannot judge this run's upstream. */
export const UPSTREAM_SKIP: Record<Exclude<UpstreamMode, "stub">, string> = {
  live: "needs the Realtime stub's own records; the bridge talks to the live service, which bwemu does not see (--realtime live)",
  opaque: "needs the Realtime stub's own records; the bridge's upstream is opaque to bwemu (--realtime opaque)",
};

const stubMode: Precondition = (_o, ctx) => (ctx.settings.realtime === "stub" ? undefined : skipped(UPSTREAM_SKIP[ctx.settings.realtime]));

/** Each requirement: what it means (the generated docs say it) and its test. */
export const REQUIREMENTS = {
  callbackAuth: {
    needs: "the run sends callback credentials (`--callback-user`); skipped otherwise",
    test: (_o, ctx) => (ctx.settings.callbackAuth ? undefined : skipped("no callback credentials configured (--callback-user/--callback-password)")),
  },
  bxml: {
    needs: "the answer is a well-formed BXML document (a failure otherwise; answer.bxml.well-formed says what is wrong with it)",
    test: (o) =>
      firstDocument(o.call)?.root ? undefined : fail("a well-formed BXML answer", `no parsable document${o.call.errorMessage ? `: ${o.call.errorMessage}` : ""}`, answerEvidence(o.call)),
  },
  startStream: {
    needs: "the answer has a `<StartStream>` (`unimplemented` without one; a failure when there is no usable answer at all)",
    test: (o) => (startStream(o.call) ? undefined : noStartStream(o.call)),
  },
  stream: { needs: "the media WebSocket was established (a failure otherwise)", test: (o) => needsStream(o) },
  bidirectional: { needs: "the stream is bidirectional, so the bridge sends audio back (`unimplemented` otherwise)", test: (o) => needsBidirectional(o) },
  streamEventUrl: {
    needs: "the `<StartStream>` asks for stream events (`streamEventUrl`); skipped otherwise",
    test: (o) => {
      const s = startStream(o.call);
      if (!s) return skipped("no <StartStream>");
      return attrValue(s, "streamEventUrl") ? undefined : skipped("no streamEventUrl: the bridge is never told");
    },
  },
  stub: { needs: "the bridge's upstream is bwemu's Realtime stub, whose timestamps it reads (skipped with `--realtime live` or `opaque`)", test: stubMode },
  session: {
    needs: "the bridge's upstream is the stub (skipped with `--realtime live` or `opaque`) and it opened a Realtime session for the call (a failure otherwise)",
    test: (o, ctx) =>
      stubMode(o, ctx) ??
      (o.sessions.length === 0 ? fail("the bridge opens a Realtime session for the call", "no Realtime session was opened", events(o.call, "ws.frame").filter((e) => e.data.eventType === "start")) : undefined),
  },
} satisfies Record<string, { needs: string; test: Precondition }>;

export type Requirement = keyof typeof REQUIREMENTS;

/**
 * The case's call and its requirements: the call when all hold, else the outcome that stands. A case
 * that does not apply to the context's call direction is skipped first: its scenarios were not placed.
 */
export function resolvePreconditions(c: Pick<ConformanceCase, "scenarios" | "requires" | "directions">, ctx: CaseContext): CallObservation | CaseOutcome {
  const other = directionSkip(c, ctx.direction ?? "inbound");
  if (other) return skipped(other);
  const first = firstCall(ctx, c.scenarios[0]);
  if ("verdict" in first) return first;
  for (const r of c.requires ?? []) {
    const unmet = REQUIREMENTS[r].test(first, ctx);
    if (unmet) return unmet;
  }
  return first;
}

/** The case's `against` call, when it names one: the call, or the outcome that stands (scenario not run, no call). */
export function resolveAgainst(c: Pick<ConformanceCase, "against">, ctx: CaseContext): CallObservation | CaseOutcome | undefined {
  return c.against === undefined ? undefined : firstCall(ctx, c.against);
}
