// The default conversation: an ordered item list (spec §7.2 `previous_item_id`, §7.3). Items keep
// their wire form (never with audio bytes, §5.2) plus, for audio items, where their audio lives.

import type { AudioFormatName, RealtimeItem } from "../protocol/realtime.js";

export interface ConvItem {
  item: RealtimeItem;
  /** Assistant audio sent so far (output format). */
  audio?: { format: AudioFormatName; chunks: Uint8Array[]; bytes: number };
  /** User audio: a range of the input timeline, sliced on retrieve. */
  inputRange?: { fromMs: number; toMs: number };
  /** Content as the client created it (with `input_audio.audio`), reported only by retrieve. */
  fullContent?: Record<string, unknown>[];
}

export class Conversation {
  readonly items: ConvItem[] = [];

  get(id: string): ConvItem | undefined {
    return this.items.find((i) => i.item.id === id);
  }

  lastId(): string | null {
    return this.items.length ? this.items[this.items.length - 1].item.id : null;
  }

  /**
   * Insert after `previousId` ("root" = at the start, undefined/null = at the end). Returns the id of the
   * item now before it (null at the start), or undefined when `previousId` is unknown.
   */
  insert(ci: ConvItem, previousId?: string | null): string | null | undefined {
    if (previousId === undefined || previousId === null) {
      const prev = this.lastId();
      this.items.push(ci);
      return prev;
    }
    if (previousId === "root") {
      this.items.unshift(ci);
      return null;
    }
    const i = this.items.findIndex((x) => x.item.id === previousId);
    if (i < 0) return undefined;
    this.items.splice(i + 1, 0, ci);
    return previousId;
  }

  delete(id: string): boolean {
    const i = this.items.findIndex((x) => x.item.id === id);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  hasCall(callId: string): boolean {
    return this.items.some((x) => x.item.type === "function_call" && x.item.call_id === callId);
  }
}
