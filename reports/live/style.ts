// What the live page adds to the report's stylesheet: the call list, the controls, the layout.
export const LIVE_CSS = String.raw`
a.home { color: inherit; text-decoration: none; }
[hidden] { display: none !important; }
.notice { background: var(--non-strict-bg); color: var(--ink); border-bottom: 1px solid var(--line); padding: 8px 24px; }
.status.off { color: var(--error); background: var(--error-bg); }
ul.calls { list-style: none; margin: 0; padding: 0; }
ul.calls li a { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--line2); color: inherit; text-decoration: none; flex-wrap: wrap; }
ul.calls li a:hover { background: var(--panel2); }
.app { overflow-wrap: anywhere; }
form.new-call, .controls { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: end; margin: 18px 0; }
form.new-call h2 { width: 100%; margin: 0; }
form.inline { display: inline-flex; gap: 6px; align-items: end; }
label { display: inline-flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
input, select, button { font: inherit; font-size: 13px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--ink); }
button { cursor: pointer; background: var(--panel2); }
button.danger { color: var(--fail); border-color: color-mix(in srgb, var(--fail) 40%, transparent); }
.form-error { color: var(--fail); font-size: 12.5px; }
.faults { display: inline-flex; gap: 6px; flex-wrap: wrap; }
.live-grid { display: grid; grid-template-columns: 1fr; gap: 0; }
.links { margin: 0; }
table.exchanges td.wrapcell { overflow-wrap: anywhere; }
.players { display: grid; gap: 8px; }
.player { display: grid; grid-template-columns: 220px 1fr auto; gap: 10px; align-items: center; }
.player audio { width: 100%; }
`;
