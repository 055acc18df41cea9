// Offset → line/column. One pass records where each line starts; a lookup is a binary search, so
// the tokenizer can jump with indexOf and still place every node exactly. Line ends follow XML
// (§2.11 of XML 1.0) and editors: "\r\n", "\n" and a lone "\r" each end one line. Columns count
// UTF-16 code units (an astral character is two columns, a tab is one), as the model says.

import type { Position } from "../model.js";

export class LineTable {
  /** Offsets where lines 2, 3, … start (line 1 starts at 0 and is implicit). */
  private readonly starts: number[] = [];

  constructor(text: string) {
    const starts = this.starts;
    // Fast path: no carriage returns, scan for "\n" only.
    if (text.indexOf("\r") === -1) {
      let i = text.indexOf("\n");
      while (i !== -1) {
        starts.push(i + 1);
        i = text.indexOf("\n", i + 1);
      }
      return;
    }
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === 10) starts.push(k + 1);
      else if (c === 13) {
        if (text.charCodeAt(k + 1) === 10) {
          starts.push(k + 2);
          k++;
        } else starts.push(k + 1);
      }
    }
  }

  pos(offset: number): Position {
    const s = this.starts;
    let lo = 0;
    let hi = s.length;
    // Count line starts ≤ offset.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    const lineStart = lo === 0 ? 0 : s[lo - 1];
    return { line: lo + 1, col: offset - lineStart + 1, offset };
  }
}
