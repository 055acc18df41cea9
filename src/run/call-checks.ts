// Judgements about one call that every command makes the same way: did the call ever get BXML, how did
// it end, which error findings and failed turns it had, was bwemu's own pacing on time (when it was not,
// latency figures are untrustworthy), and what a capped timeline left out. Pure: they read the recorded call.

import type { CallResult } from "../../emulator/call/types.js";
import type { CallLatency } from "../../emulator/latency/types.js";
import type { LatenessStats } from "../../emulator/media/scheduler.js";
import type { DropSummary, Timeline, TimelineEvent } from "../../emulator/timeline.js";

/** Pacing is late when the 99th percentile tick is this late (a frame is 20 ms: 5 ms is a quarter of one)… */
export const LATE_P99_US = 5_000;
/** …or when any tick was this late (a stall a caller hears as a gap, and that moves every stamp after it). */
export const LATE_MAX_US = 100_000;

/**
 * A call that never got a BXML document did not complete normally, whatever ended it (the caller's
 * hang-up, the duration cap): the app never answered the call. Undefined when BXML arrived.
 */
export function missingBxml(r: CallResult): string | undefined {
  if (r.documents.length > 0) return undefined;
  const failed = r.timeline.events.find(
    (e): e is TimelineEvent<"webhook.result"> => e.kind === "webhook.result" && e.callId === r.callId && !(e as TimelineEvent<"webhook.result">).data.ok,
  );
  const why = failed?.data.error ?? "the initiate webhook got no reply";
  return `the app never returned BXML (${why}); the call did not complete normally`;
}

/** "ended with cause X: its errorMessage", said of a call that did not end as expected. */
export function endedWith(r: CallResult): string {
  return `ended with cause ${r.disconnectCause}${r.errorMessage ? `: ${r.errorMessage}` : ""}`;
}

/** The call's error findings (its result's timeline is its own slice), as their messages. */
export function errorFindings(r: CallResult): string[] {
  return r.timeline.events
    .filter((e) => e.kind === "finding" && (e as TimelineEvent<"finding">).data.level === "error")
    .map((e) => (e as TimelineEvent<"finding">).data.message);
}

/** "N error finding(s): …" (the first `shown` messages); undefined when there are none. */
export function findingsProblem(messages: readonly string[], shown = messages.length): string | undefined {
  return messages.length ? `${messages.length} error finding(s): ${messages.slice(0, shown).join("; ")}` : undefined;
}

/** "N of M turn(s) failed: turn i why, …"; undefined when every turn got its reply. */
export function turnsProblem(latency: CallLatency | undefined): string | undefined {
  const failed = latency?.turns.filter((t) => t.failure !== undefined) ?? [];
  return failed.length ? `${failed.length} of ${latency!.turns.length} turn(s) failed: ${failed.map((t) => `turn ${t.index} ${t.failure}`).join(", ")}` : undefined;
}

/** The call's own pacing lateness, from its `scheduler.lateness` windows (worst window p99, overall max). */
export function callLateness(t: Timeline, callId: string): LatenessStats | undefined {
  let count = 0;
  let p99Us = 0;
  let maxUs = 0;
  let p50Us = 0;
  for (const e of t.events) {
    if (e.kind !== "scheduler.lateness" || e.callId !== callId) continue;
    const d = (e as TimelineEvent<"scheduler.lateness">).data;
    count += d.frames;
    p50Us = Math.max(p50Us, d.p50Us);
    p99Us = Math.max(p99Us, d.p99Us);
    maxUs = Math.max(maxUs, d.maxUs);
  }
  return count ? { count, p50Us, p99Us, maxUs } : undefined;
}

/** The warning every command prints when bwemu's own pacing was late; undefined when it was on time. */
export function pacingWarning(s: LatenessStats | undefined): string | undefined {
  if (!s || !s.count || (s.p99Us <= LATE_P99_US && s.maxUs <= LATE_MAX_US)) return undefined;
  return `bwemu's own pacing was late (p99 ${(s.p99Us / 1000).toFixed(1)} ms, max ${(s.maxUs / 1000).toFixed(1)} ms over ${s.count} frames): latency figures are untrustworthy (the machine was overloaded, or the app's traffic blocked bwemu)`;
}

/** What a capped timeline left out, as one sentence; undefined when nothing was dropped. */
export function dropNotice(d: DropSummary | undefined): string | undefined {
  if (!d || !d.events) return undefined;
  const kinds = Object.entries(d.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  return `${d.events} media event(s) not kept (the per-call timeline cap was reached: ${kinds}); lifecycle events and findings are all kept`;
}
