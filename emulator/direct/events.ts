// Timeline kinds of direct mode (no bridge): the emulator's own Realtime session stands where the
// bridge's media socket would be, so its audio events are the carrier-side measurement points.

declare module "../timeline.js" {
  interface TimelineEventMap {
    /** The call's direct Realtime session: `connect` (C_start in direct mode), `open`, `close`, `error`. */
    "direct.session": { streamId: string; phase: "connect" | "open" | "close" | "error"; url: string; code?: number; error?: string };
    /** Reply audio received (`delta`, the direct-mode C_play) or the queue cleared on barge-in (`clear`). */
    "direct.audio": { streamId: string; event: "delta" | "clear"; itemId?: string; bytes?: number; durationMs?: number; droppedMs?: number };
    /** A `conversation.item.truncate` the direct session sent, with what the caller actually heard. */
    "direct.truncate": { streamId: string; itemId: string; audioEndMs: number };
  }
}

export {};
