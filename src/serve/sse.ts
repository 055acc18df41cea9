// Server-sent events with bounded buffers: each subscriber's unsent bytes are capped, and one that
// stops reading (its socket buffer past the cap) is dropped with a notice instead of growing the
// process. A comment line every 15 s keeps proxies from closing an idle stream.

import type http from "node:http";

export interface SseOptions {
  /** Unsent bytes a subscriber may hold before it is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Told when a subscriber is dropped for not reading. */
  onDrop?: (why: string) => void;
}

export const DEFAULT_SSE_BUFFER = 1024 * 1024;

export class SseStream {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly max: number;

  constructor(
    private readonly res: http.ServerResponse,
    private readonly o: SseOptions = {},
  ) {
    this.max = o.maxBufferedBytes ?? DEFAULT_SSE_BUFFER;
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" });
    res.write(": bwemu live events\nretry: 2000\n\n");
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), 15_000);
    this.heartbeat.unref();
    res.on("close", () => this.close());
  }

  get open(): boolean {
    return !this.closed;
  }

  /** One event; `data` is JSON-encoded. False when the subscriber is gone (or was just dropped). */
  send(event: string, data: unknown): boolean {
    return this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(chunk: string): boolean {
    if (this.closed) return false;
    if (this.res.writableLength + chunk.length > this.max) {
      const why = `an event-stream subscriber stopped reading (${this.res.writableLength} bytes unsent, cap ${this.max}): dropped`;
      // The notice is the last thing queued for it; the socket goes right after.
      this.res.write(`event: dropped\ndata: ${JSON.stringify({ reason: why })}\n\n`);
      this.close();
      this.res.destroy();
      this.o.onDrop?.(why);
      return false;
    }
    this.res.write(chunk);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (!this.res.writableEnded) this.res.end();
  }
}
