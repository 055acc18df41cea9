// The two integrity cases differ only in direction (which side's audio must reach the other as sent)
// and their words; one factory holds what they share: the basic call, a bidirectional stream with a
// stub session to compare against, and the fidelity verdict (suites/audio-match.ts).
import type { StreamRecord } from "../../emulator/call/types.js";
import type { StubSessionRecord } from "../../emulator/realtime/record.js";
import type { ConformanceCase } from "../types.js";
import { fidelityOutcome, type Fidelity } from "../audio-match.js";

type CaseWords = Pick<ConformanceCase, "id" | "title" | "expectation" | "docs" | "outcomes">;

export function integrityCase(words: CaseWords, fidelity: (stream: StreamRecord, session: StubSessionRecord) => Fidelity): ConformanceCase {
  return {
    ...words,
    level: "MUST",
    scenarios: ["basic"],
    requires: ["bidirectional", "session"],
    check: (c) => fidelityOutcome(fidelity(c.call.streams[0], c.sessions[0])),
  };
}
