// latency.jitter-down: underruns a caller would hear. The carrier plays received audio at real-time
// rate from a queue (§12.3.4 playback model); a gap is a stretch where the queue ran dry inside one
// reply and more audio of that reply arrived later. Reply boundaries (end of a caller utterance, a
// `clear`) restart the model, so the silence between replies is never counted.

import type { CarrierPoints } from "./points.js";
import type { DownstreamGap, JitterDown } from "./types.js";

export function jitterDown(points: CarrierPoints, underrunMinMs = 20): JitterDown {
  type Boundary = { t: number; streamId?: string };
  const boundaries: Boundary[] = [
    ...points.utterances.filter((u) => u.endUs !== undefined).map((u) => ({ t: u.endUs! })),
    ...points.clears.map((c) => ({ t: c.t, streamId: c.streamId })),
  ];
  const gaps: DownstreamGap[] = [];
  let unknown = 0;
  // Silence a bot streams fills the queue like speech does: every playAudio counts here.
  const streams = [...new Set(points.allPlays.map((p) => p.streamId))];
  for (const sid of streams) {
    const plays = points.allPlays.filter((p) => p.streamId === sid);
    const cuts = boundaries.filter((b) => b.streamId === undefined || b.streamId === sid).map((b) => b.t).sort((a, b) => a - b);
    let queueEndUs: number | undefined;
    let cut = 0;
    for (const p of plays) {
      while (cut < cuts.length && cuts[cut] <= p.t) {
        queueEndUs = undefined; // new reply (or cleared queue)
        cut++;
      }
      if (p.durationMs === undefined) {
        unknown++;
        queueEndUs = undefined; // cannot model the queue past a frame of unknown length
        continue;
      }
      if (queueEndUs !== undefined && p.t > queueEndUs) {
        const gapMs = (p.t - queueEndUs) / 1000;
        if (gapMs > underrunMinMs) gaps.push({ streamId: sid, atUs: queueEndUs, gapMs, seq: p.seq });
      }
      const startUs = queueEndUs === undefined ? p.t : Math.max(queueEndUs, p.t);
      queueEndUs = startUs + p.durationMs * 1000;
    }
  }
  gaps.sort((a, b) => a.atUs - b.atUs);
  return {
    gaps,
    count: gaps.length,
    totalMs: gaps.reduce((s, g) => s + g.gapMs, 0),
    maxMs: gaps.reduce((m, g) => Math.max(m, g.gapMs), 0),
    unknownDurationFrames: unknown,
  };
}
