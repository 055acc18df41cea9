// The sequence diagram as events arrive: the report's rows (reports/html/sequence.ts), built one
// event at a time. A significant event is a row of its own; bulk traffic (media frames, playAudio,
// queued audio) between two of them is grouped as in the report, and its rows are re-sent with the
// same id while they grow, so a page replaces them instead of adding one row per frame. Pure.

import { collapse, bulkKey, type Row } from "../html/events.js";
import { renderRow, DEFAULT_MAX_ROWS } from "../html/sequence.js";
import type { RecordedEvent } from "../model.js";

export interface RowUpdate {
  /** Element id: the same for a growing run. */
  id: string;
  html: string;
}

/** Bulk events held in one open group before it is closed anyway (bounds the regrouping work). */
const MAX_OPEN_BULK = 3000;

export class LiveSequence {
  private pending: RecordedEvent[] = [];
  private dirty = false;
  private readonly rows: RowUpdate[] = [];
  private readonly index = new Map<string, number>();
  private truncated = false;

  constructor(
    private readonly t0Us: number,
    private readonly idPrefix: string,
    private readonly maxRows = DEFAULT_MAX_ROWS,
  ) {}

  /** Feed one event; returns rows to add or replace now (bulk traffic waits for `flush`). */
  push(e: RecordedEvent): RowUpdate[] {
    if (bulkKey(e) !== null) {
      this.pending.push(e);
      this.dirty = true;
      return this.pending.length >= MAX_OPEN_BULK ? this.close() : [];
    }
    const out = this.close();
    return [...out, ...this.emit([{ type: "event", e }])];
  }

  /** Rows of the open bulk groups, when they changed since the last flush. */
  flush(): RowUpdate[] {
    if (!this.dirty) return [];
    this.dirty = false;
    return this.emit(collapse(this.pending));
  }

  /** Every row so far, in order, for a page that subscribes now (open groups included). */
  snapshot(): RowUpdate[] {
    const open = this.pending.length ? this.render(collapse(this.pending)) : [];
    const byId = new Map(this.rows.map((r) => [r.id, r]));
    for (const r of open) byId.set(r.id, r);
    return [...byId.values()];
  }

  /** Whether rows were left out (the page says so). */
  get cut(): boolean {
    return this.truncated;
  }

  private close(): RowUpdate[] {
    if (!this.pending.length) return [];
    const rows = collapse(this.pending);
    this.pending = [];
    this.dirty = false;
    return this.emit(rows);
  }

  private render(rows: Row[]): RowUpdate[] {
    return rows.map((row) => {
      const first = row.type === "event" ? row.e : row.first;
      const id = `${this.idPrefix}${first.seq}`;
      return { id, html: renderRow(row, this.t0Us, id).s };
    });
  }

  private emit(rows: Row[]): RowUpdate[] {
    const out: RowUpdate[] = [];
    for (const u of this.render(rows)) {
      const i = this.index.get(u.id);
      if (i !== undefined) this.rows[i] = u;
      else {
        if (this.rows.length >= this.maxRows) {
          this.truncated = true;
          continue;
        }
        this.index.set(u.id, this.rows.length);
        this.rows.push(u);
      }
      out.push(u);
    }
    return out;
  }
}
