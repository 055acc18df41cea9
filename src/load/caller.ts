// How long a load call may last: a conversation (src/speech.ts) of N turns with room to spare.

/** A call long enough for N turns (speech ≤ 3 s, a reply ≤ 10 s each) with room to spare. */
export const conversationCapMs = (turns: number): number => 10_000 + turns * 15_000;
