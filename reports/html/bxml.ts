// A BXML document as received, with line numbers, light XML highlighting and every diagnostic shown
// under its line with a caret at its column.

import type { Diagnostic } from "../../emulator/bxml/model.js";
import type { CallDocument } from "../model.js";
import { esc, html, raw, safeHref, type Raw } from "./escape.js";
import { PUBLIC_PAGES } from "../../emulator/references.js";
import { ruleHelpUrl } from "../help.js";

const MAX_LINES = 2000;

/** Highlight XML text; returns escaped HTML per line (spans never cross a line break). */
export function highlightXml(text: string): string[] {
  const out: string[] = [""];
  const push = (s: string, cls?: string) => {
    const parts = s.split("\n");
    parts.forEach((p, i) => {
      if (i > 0) out.push("");
      if (p) out[out.length - 1] += cls ? `<span class="${cls}">${esc(p)}</span>` : esc(p);
    });
  };
  let i = 0;
  let inTag = false;
  const re = {
    comment: /<!--[\s\S]*?(-->|$)/y,
    pi: /<\?[\s\S]*?(\?>|$)/y,
    cdata: /<!\[CDATA\[[\s\S]*?(\]\]>|$)/y,
    open: /<\/?[A-Za-z_][\w:.-]*/y,
    attr: /[A-Za-z_][\w:.-]*/y,
    val: /"[^"]*"?|'[^']*'?/y,
    close: /\/?>/y,
  };
  const at = (r: RegExp) => {
    r.lastIndex = i;
    const m = r.exec(text);
    return m && m.index === i ? m[0] : null;
  };
  while (i < text.length) {
    let m: string | null;
    if (!inTag) {
      if ((m = at(re.comment))) push(m, "x-com");
      else if ((m = at(re.pi))) push(m, "x-pi");
      else if ((m = at(re.cdata))) push(m, "x-val");
      else if ((m = at(re.open))) {
        push(m, "x-tag");
        inTag = true;
      } else {
        const next = text.indexOf("<", i + 1);
        m = text.slice(i, next < 0 ? text.length : next);
        push(m);
      }
    } else {
      if ((m = at(re.close))) {
        push(m, "x-tag");
        inTag = false;
      } else if ((m = at(re.attr))) push(m, "x-attr");
      else if ((m = at(re.val))) push(m, "x-val");
      else push((m = text[i]));
    }
    i += m.length;
  }
  return out;
}

function diagRow(line: string, d: Diagnostic): Raw {
  const col = Math.max(1, Math.min(d.col || 1, line.length + 1));
  return html`<tr class="diag ${d.level}"><td class="ln"></td><td><div class="caretline"><span class="pad">${line.slice(0, col - 1)}</span><span class="caret">^</span></div><div class="note"><strong>${d.level}</strong> <a class="docs-link" href="${ruleHelpUrl(d.ruleId)}" rel="noreferrer noopener"><code>${d.ruleId}</code></a> <span class="muted">${d.line}:${d.col}</span> <span class="msg">${d.message}</span>${d.source && safeHref(d.source) ? html` <a class="muted" href="${safeHref(d.source)!}" rel="noreferrer noopener">(${PUBLIC_PAGES.get(d.source) ?? d.source})</a>` : raw("")}</div></td></tr>`;
}

export function renderBxml(doc: CallDocument, index: number): Raw {
  const lines = doc.text.split("\n");
  const hl = highlightXml(doc.text);
  const byLine = new Map<number, Diagnostic[]>();
  const orphan: Diagnostic[] = [];
  for (const d of doc.diagnostics) {
    if (d.line >= 1 && d.line <= lines.length) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d]);
    else orphan.push(d);
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of doc.diagnostics) counts[d.level]++;
  const rows: Raw[] = [];
  const shown = Math.min(lines.length, MAX_LINES);
  for (let n = 1; n <= shown; n++) {
    const ds = byLine.get(n) ?? [];
    const cls = ds.some((d) => d.level === "error") ? "has-error" : ds.some((d) => d.level === "warning") ? "has-warning" : "";
    rows.push(html`<tr class="${cls}"><td class="ln">${n}</td><td class="code">${raw(hl[n - 1] ?? "")}</td></tr>`);
    for (const d of ds) rows.push(diagRow(lines[n - 1], d));
  }
  for (let n = shown + 1; n <= lines.length; n++) for (const d of byLine.get(n) ?? []) orphan.push(d);
  return html`<figure class="bxml"><figcaption><strong>Document ${index + 1}</strong> <span class="mono">${doc.url}</span>${doc.contentType ? html` <span class="chip">${doc.contentType}</span>` : raw("")}
<span class="chip">${lines.length} lines</span>${counts.error ? html`<span class="chip tone-bad">${counts.error} error${counts.error > 1 ? "s" : ""}</span>` : raw("")}${counts.warning ? html`<span class="chip tone-warn">${counts.warning} warning${counts.warning > 1 ? "s" : ""}</span>` : raw("")}${counts.info ? html`<span class="chip tone-info">${counts.info} info</span>` : raw("")}${!doc.diagnostics.length ? html`<span class="chip tone-ok">no diagnostics</span>` : raw("")}</figcaption>
<div class="src"><table>${rows}${lines.length > shown ? html`<tr><td class="ln">…</td><td class="code muted">${lines.length - shown} more lines</td></tr>` : raw("")}${orphan.map((d) => html`<tr class="diag ${d.level}"><td class="ln">${d.line}:${d.col}</td><td><strong>${d.level}</strong> <code>${d.ruleId}</code> <span class="msg">${d.message}</span></td></tr>`)}</table></div></figure>`;
}
