// The report's stylesheet: system fonts only (nothing to fetch), light and dark by media query,
// verdicts never told by colour alone (each badge also has a word or glyph), print-friendly.

export const CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --panel2: #f0f2f5; --ink: #1b1f24; --muted: #5b6471; --line: #d9dde3; --line2: #e8ebef;
  --accent: #2f5bd3; --code: #f7f8fa; --shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 1px 3px rgb(16 24 40 / 8%);
  --pass: #1f883d; --fail: #cf222e; --non-strict: #b07d00; --info: #0969da; --unimplemented: #8250df; --skipped: #6e7781; --error: #d1571b;
  --pass-bg: #dafbe1; --fail-bg: #ffebe9; --non-strict-bg: #fff4c7; --info-bg: #ddf4ff; --unimplemented-bg: #fbefff; --skipped-bg: #eef1f4; --error-bg: #fff0e6;
  --lane0: #2f5bd3; --lane1: #1f883d; --lane2: #8250df;
  --mono: ui-monospace, "SFMono-Regular", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216; --panel: #171b21; --panel2: #1e242c; --ink: #e6e9ed; --muted: #9aa4b1; --line: #2c333d; --line2: #232a33;
    --accent: #7aa2ff; --code: #12161b; --shadow: none;
    --pass: #3fb950; --fail: #ff6b62; --non-strict: #e3b341; --info: #58a6ff; --unimplemented: #bc8cff; --skipped: #8b949e; --error: #f0883e;
    --pass-bg: #12301c; --fail-bg: #3b1618; --non-strict-bg: #3a2e0b; --info-bg: #0f2a47; --unimplemented-bg: #2c1c47; --skipped-bg: #22282f; --error-bg: #3d2412;
    --lane0: #7aa2ff; --lane1: #3fb950; --lane2: #bc8cff;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); font: 14px/1.5 var(--sans); -webkit-text-size-adjust: 100%; }
body { margin: 0; }
a { color: var(--accent); text-underline-offset: 2px; }
a:focus-visible, button:focus-visible, summary:focus-visible, svg:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 4px; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; z-index: 10; background: var(--panel); padding: 6px 10px; }
header.top { background: var(--panel); border-bottom: 1px solid var(--line); }
header.top .wrap { display: flex; gap: 20px; align-items: center; padding-top: 18px; padding-bottom: 18px; flex-wrap: wrap; }
.brand { display: flex; flex-direction: column; gap: 2px; flex: 1 1 420px; min-width: 0; }
.brand h1 { font-size: 20px; letter-spacing: -0.01em; }
.brand .sub { color: var(--muted); overflow-wrap: anywhere; }
.status { display: inline-flex; align-items: center; gap: 10px; border-radius: 10px; padding: 10px 16px; font-weight: 650; font-size: 15px; border: 1px solid; }
.status.ok { color: var(--pass); background: var(--pass-bg); border-color: color-mix(in srgb, var(--pass) 35%, transparent); }
.status.bad { color: var(--fail); background: var(--fail-bg); border-color: color-mix(in srgb, var(--fail) 35%, transparent); }
.status.harness { color: var(--error); background: var(--error-bg); border-color: color-mix(in srgb, var(--error) 35%, transparent); }
.status small { font-weight: 500; color: var(--muted); font-size: 12px; }
nav.sections { position: sticky; top: 0; z-index: 5; background: color-mix(in srgb, var(--bg) 88%, transparent); backdrop-filter: blur(6px); border-bottom: 1px solid var(--line); }
nav.sections .wrap { display: flex; gap: 4px; padding-top: 6px; padding-bottom: 6px; overflow-x: auto; }
nav.sections a { color: var(--muted); text-decoration: none; padding: 4px 10px; border-radius: 6px; white-space: nowrap; }
nav.sections a:hover { background: var(--panel2); color: var(--ink); }
main section.block { margin: 22px 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; box-shadow: var(--shadow); padding: 16px 18px; }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px 22px; margin: 0; }
.meta div { min-width: 0; }
.meta .wide { grid-column: span 2; }
@media (max-width: 760px) { .meta .wide { grid-column: auto; } }
.meta dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.meta dd { margin: 2px 0 0; overflow-wrap: anywhere; }
.chip.wrap { white-space: normal; overflow-wrap: anywhere; }
.chip { display: inline-block; padding: 0 7px; border-radius: 999px; background: var(--panel2); border: 1px solid var(--line); font-size: 12px; margin: 1px 2px 1px 0; white-space: nowrap; }
.muted { color: var(--muted); }
.bar { display: flex; height: 12px; border-radius: 6px; overflow: hidden; background: var(--panel2); margin: 4px 0 12px; }
.bar span { display: block; height: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; }
.legend .item { display: inline-flex; align-items: center; gap: 6px; }
.legend b { font-variant-numeric: tabular-nums; }
.dot { width: 10px; height: 10px; border-radius: 3px; display: inline-block; flex: none; }
.callouts { display: grid; gap: 8px; margin-top: 14px; }
.callout { border-left: 4px solid var(--line); background: var(--panel2); padding: 8px 12px; border-radius: 0 8px 8px 0; overflow-wrap: anywhere; }
.callout.bad { border-color: var(--fail); } .callout.good { border-color: var(--pass); } .callout.warn { border-color: var(--error); }
.callout a { font-family: var(--mono); font-size: 12.5px; }
${["pass", "fail", "non-strict", "info", "unimplemented", "skipped", "error"].map((v) => `.v-${v} { --v: var(--${v}); --vbg: var(--${v}-bg); }`).join("\n")}
.bg-v { background: var(--v); }
.badge { display: inline-flex; align-items: center; gap: 4px; min-width: 112px; justify-content: center; padding: 1px 8px; border-radius: 6px; font-size: 12px; font-weight: 650; color: var(--v); background: var(--vbg); border: 1px solid color-mix(in srgb, var(--v) 40%, transparent); white-space: nowrap; }
.level { text-align: center; font-size: 11px; font-weight: 700; letter-spacing: .04em; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; }
.level.MUST { color: var(--ink); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line2); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.matrix td.group { font-weight: 650; white-space: nowrap; }
.matrix td.cnt { text-align: center; font-variant-numeric: tabular-nums; width: 64px; }
.matrix td.cnt.some { color: var(--v); background: var(--vbg); font-weight: 700; }
.matrix td.cnt.zero { color: var(--line); }
.tiles { display: flex; flex-wrap: wrap; gap: 4px; }
.tile { display: inline-flex; align-items: center; gap: 5px; text-decoration: none; color: var(--ink); font: 12px/1.6 var(--mono); padding: 0 7px 0 0; border-radius: 5px; background: var(--vbg); border: 1px solid color-mix(in srgb, var(--v) 35%, transparent); max-width: 100%; overflow: hidden; }
.tile .g { background: var(--v); color: #fff; width: 18px; text-align: center; font-family: var(--sans); font-weight: 700; align-self: stretch; display: inline-flex; align-items: center; justify-content: center; }
.tile .t { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tile:hover { border-color: var(--v); }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 0 0 12px; }
.toolbar button { font: inherit; font-size: 12.5px; cursor: pointer; border-radius: 6px; border: 1px solid var(--line); background: var(--panel); color: var(--ink); padding: 3px 10px; display: inline-flex; align-items: center; gap: 6px; }
.toolbar button[aria-pressed="false"] { opacity: .5; text-decoration: line-through; }
.toolbar .sep { flex: 1; }
.group-h { margin: 18px 0 8px; display: flex; align-items: baseline; gap: 10px; }
.group-h .muted { font-size: 12px; }
details.case { background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--v); border-radius: 8px; margin: 6px 0; box-shadow: var(--shadow); }
details.case > summary { list-style: none; cursor: pointer; display: grid; grid-template-columns: 122px 66px minmax(180px, 330px) 1fr auto; gap: 10px; align-items: center; padding: 8px 12px; }
details.case > summary::-webkit-details-marker { display: none; }
details.case > summary .id { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
details.case > summary .title { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
details.case > summary .chev { display: inline-block; transition: transform .15s; color: var(--muted); }
details.case[open] > summary .chev { transform: rotate(90deg); }
details.case > summary .right { display: flex; gap: 6px; align-items: center; color: var(--muted); font-size: 12px; white-space: nowrap; }
details.case > summary:hover { background: var(--panel2); }
details.case[open] > summary { border-bottom: 1px solid var(--line2); }
.case-body { padding: 12px 16px 16px; display: grid; gap: 12px; }
.eo { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.eo > div { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: var(--code); min-width: 0; }
.eo h4 { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-bottom: 4px; }
.eo .observed { border-color: color-mix(in srgb, var(--v) 45%, var(--line)); }
.eo pre, .message pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.message pre { font-family: var(--sans); font-size: 13.5px; }
.panel > h3 { margin-bottom: 10px; }
.call + .call { border-top: 1px dashed var(--line); padding-top: 16px; }
.call-h h3 { font-size: 16px; }
.message { border-left: 3px solid var(--v); padding: 4px 10px; background: var(--vbg); border-radius: 0 6px 6px 0; overflow-wrap: anywhere; }
dl.kv { display: grid; grid-template-columns: 170px 1fr; gap: 4px 14px; margin: 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
dl.kv ul { margin: 0; padding-left: 18px; }
.tag { font-size: 11px; border-radius: 4px; padding: 0 6px; border: 1px solid var(--line); }
.tag.new-failure { color: var(--fail); border-color: var(--fail); } .tag.expected { color: var(--muted); } .tag.unexpected-pass { color: var(--pass); border-color: var(--pass); }
.runs { display: inline-flex; gap: 2px; vertical-align: middle; margin-right: 8px; }
.runs span { width: 10px; height: 14px; border-radius: 2px; background: var(--v); }
details.sub { border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
details.sub > summary { cursor: pointer; padding: 6px 10px; color: var(--muted); font-weight: 600; }
details.sub[open] > summary { border-bottom: 1px solid var(--line2); }
/* sequence view: time | carrier | bridge | model, arrows between lane centres (6 half-columns) */
.seq { font-size: 12.5px; }
.seq .head, .seq .row > summary, .seq .row.plain { display: grid; grid-template-columns: 86px 1fr; align-items: center; }
.seq .head { position: sticky; top: 38px; z-index: 2; background: var(--panel); border-bottom: 1px solid var(--line); font-weight: 650; }
.seq .lanes { display: grid; grid-template-columns: repeat(6, 1fr); min-height: 26px; align-items: center;
  background: linear-gradient(var(--lane0), var(--lane0)) calc(100% / 6) 0 / 1px 100% no-repeat,
              linear-gradient(var(--lane1), var(--lane1)) 50% 0 / 1px 100% no-repeat,
              linear-gradient(var(--lane2), var(--lane2)) calc(500% / 6) 0 / 1px 100% no-repeat; }
.seq .head .lanes { background: none; }
.seq .head .ln { grid-column: span 2; text-align: center; padding: 6px 0; }
.seq .head .ln:nth-child(1) { color: var(--lane0); } .seq .head .ln:nth-child(2) { color: var(--lane1); } .seq .head .ln:nth-child(3) { color: var(--lane2); }
.seq .t { color: var(--muted); font-family: var(--mono); font-size: 11.5px; text-align: right; padding-right: 10px; white-space: nowrap; }
.seq .row > summary { list-style: none; cursor: pointer; }
.seq .row > summary::-webkit-details-marker { display: none; }
.seq .row > summary:hover { background: var(--panel2); }
.seq .row pre { margin: 4px 8px 8px 86px; padding: 8px; background: var(--code); border: 1px solid var(--line2); border-radius: 6px; max-height: 320px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.arrow { position: relative; display: flex; flex-direction: column; justify-content: center; min-width: 0; padding: 2px 0; }
.arrow .lbl { text-align: center; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: 0 10px; line-height: 1.35; }
.arrow .line { height: 0; border-top: 2px solid currentColor; position: relative; margin: 0 1px; }
.arrow.r .line::after, .arrow.l .line::after { content: ""; position: absolute; top: -6px; border: 5px solid transparent; }
.arrow.r .line::after { right: -2px; border-left: 8px solid currentColor; border-right: 0; }
.arrow.l .line::after { left: -2px; border-right: 8px solid currentColor; border-left: 0; }
.self { display: flex; justify-content: center; min-width: 0; }
.self .lbl { background: var(--panel); border: 1px solid var(--tc, var(--line)); border-radius: 999px; padding: 0 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; line-height: 1.5; }
.span-all .lbl { background: var(--panel2); border: 1px dashed var(--line); color: var(--muted); border-radius: 6px; padding: 0 8px; text-align: center; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tone-ok { --tc: var(--pass); } .tone-bad { --tc: var(--fail); } .tone-warn { --tc: var(--non-strict); } .tone-info { --tc: var(--info); } .tone-muted { --tc: var(--muted); }
.tone-ok, .tone-bad, .tone-warn, .tone-info, .tone-muted { color: var(--tc); }
.chip.tone-ok, .chip.tone-bad, .chip.tone-warn, .chip.tone-info { border-color: color-mix(in srgb, var(--tc) 45%, transparent); }
.tone-ok .lbl, .tone-bad .lbl, .tone-warn .lbl, .tone-info .lbl { color: var(--ink); }
.bulk .lbl { font-style: italic; }
.seq .more { padding: 8px 0 8px 96px; color: var(--muted); }
/* calls */
.call { margin: 14px 0; }
.call-h { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: baseline; margin-bottom: 10px; }
.call-h .mono { color: var(--muted); overflow-wrap: anywhere; }
.call-grid { display: grid; gap: 12px; }
.audio-row { display: grid; grid-template-columns: 130px 1fr; gap: 4px 14px; align-items: center; }
.audio-row .who { font-weight: 600; }
.audio-row .who small { display: block; color: var(--muted); font-weight: 400; }
.audio-row audio { width: 100%; height: 34px; }
.wave { display: block; width: 100%; height: 56px; cursor: pointer; border-radius: 6px; background: var(--code); border: 1px solid var(--line2); }
.wave path { fill: var(--wc, var(--accent)); }
.wave .axis { stroke: var(--line); stroke-width: 1; }
.wave text { fill: var(--muted); font: 9px var(--sans); }
.wave .head { stroke: var(--fail); stroke-width: 2; }
.wave.caller { --wc: var(--lane0); } .wave.returned { --wc: var(--lane1); } .wave.heard { --wc: var(--lane2); }
.audio-missing { color: var(--muted); font-style: italic; }
/* BXML */
.bxml { margin: 0; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.bxml figcaption { padding: 6px 10px; background: var(--panel2); border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 8px; align-items: center; overflow-wrap: anywhere; }
.bxml .src { overflow-x: auto; background: var(--code); }
.bxml table { font-family: var(--mono); font-size: 12.5px; width: auto; min-width: 100%; }
.bxml td { border: 0; padding: 0 10px; white-space: pre; }
.bxml td.ln { color: var(--muted); text-align: right; user-select: none; width: 1%; border-right: 1px solid var(--line2); }
.bxml tr.has-error td.code { background: color-mix(in srgb, var(--fail) 10%, transparent); }
.bxml tr.has-warning td.code { background: color-mix(in srgb, var(--non-strict) 12%, transparent); }
.bxml tr.diag td { white-space: pre-wrap; padding-top: 2px; padding-bottom: 4px; font-family: var(--sans); font-size: 12.5px; }
.bxml tr.diag .caretline { white-space: pre; font-family: var(--mono); line-height: 1.1; }
.bxml tr.diag .pad { visibility: hidden; }
.bxml tr.diag .note { white-space: normal; max-width: 980px; padding-left: 2ch; }
.bxml tr.diag .caret { font-family: var(--mono); font-weight: 700; }
.bxml tr.diag.error { color: var(--fail); } .bxml tr.diag.warning { color: var(--non-strict); } .bxml tr.diag.info { color: var(--info); }
.bxml tr.diag .msg { color: var(--ink); }
.bxml tr.diag code { color: inherit; }
.x-tag { color: var(--lane0); } .x-attr { color: var(--unimplemented); } .x-val { color: var(--pass); } .x-com { color: var(--muted); font-style: italic; } .x-pi { color: var(--muted); }
/* latency */
.lat-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px; }
.hist { width: 100%; height: 150px; display: block; }
.hist rect.b { fill: color-mix(in srgb, var(--accent) 70%, transparent); }
.hist line.axis { stroke: var(--line); }
.hist text { fill: var(--muted); font: 10px var(--sans); }
.hist .p { stroke-width: 1.5; stroke-dasharray: 3 2; }
.hist text.pl { font-size: 9px; }
.hist line.p50 { stroke: var(--pass); } .hist line.p95 { stroke: var(--non-strict); } .hist line.p99 { stroke: var(--error); } .hist line.budget { stroke: var(--fail); stroke-dasharray: none; stroke-width: 2; } .hist text.budget { fill: var(--fail); }
.over { color: var(--fail); font-weight: 700; }
.warn-n { color: var(--non-strict); font-size: 12px; }
footer { color: var(--muted); font-size: 12px; padding: 24px 0 40px; }
@media (max-width: 760px) {
  details.case > summary { grid-template-columns: 122px 1fr; }
  details.case > summary .title, details.case > summary .right { grid-column: 1 / -1; }
  .eo { grid-template-columns: 1fr; }
  dl.kv { grid-template-columns: 1fr; }
}
@media print {
  html { background: #fff; color: #000; font-size: 11px; }
  nav.sections, .toolbar, audio, .skip { display: none !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-shadow: none !important; }
  details.case, .panel, .bxml, figure { break-inside: avoid; }
  .seq .head { position: static; }
  a { color: inherit; text-decoration: none; }
}
@media (prefers-reduced-motion: reduce) { * { scroll-behavior: auto !important; transition: none !important; } }
`;
