import { XMLValidator } from "fast-xml-parser";
import { buildTree } from "../parser/tree.js";
import { LineTable } from "../parser/lines.js";
const base = [
`<?xml version="1.0" encoding="UTF-8"?><Response><StartStream name="s" destination="wss://x/y?a=1&amp;b=2"><StreamParam name="a" value="b"/></StartStream><StopStream name="s" wait="true"/></Response>`,
`<?xml version='1.0' encoding='UTF-8'?>\n<Bxml>\n  <!-- c -->\n  <SpeakSentence voice="julie">Hello <lang xml:lang="es-MX">hola</lang> <break time="1s"/><![CDATA[x<y]]></SpeakSentence>\n</Bxml>\n`,
];
let seed = 1; const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const chars = `<>/"'&=;!?-[] ax#\n`;
const counts: Record<string, number> = {}; const examples: Record<string, string[]> = {};
for (let n = 0; n < 20000; n++) {
  let d = base[n % base.length];
  const edits = 1 + Math.floor(rnd() * 2);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * d.length);
    const op = rnd();
    if (op < 0.4) d = d.slice(0, at) + d.slice(at + 1);
    else if (op < 0.8) d = d.slice(0, at) + chars[Math.floor(rnd() * chars.length)] + d.slice(at);
    else d = d.slice(0, at) + chars[Math.floor(rnd() * chars.length)] + d.slice(at + 1);
  }
  const mine = buildTree(d, new LineTable(d));
  const v = XMLValidator.validate(d);
  const mineOk = !mine.problem; const vOk = v === true;
  if (mineOk !== vOk) {
    const k = mineOk ? "mine-accepts:" + (v as any).err.msg.replace(/'[^']*'/g, "'…'") : "validator-accepts:" + mine.problem!.message.replace(/`[^`]*`|<[^>]*>/g, "…").slice(0, 60);
    counts[k] = (counts[k] ?? 0) + 1; (examples[k] ??= []).length < 2 && examples[k].push(d);
  }
}
for (const [k, c] of Object.entries(counts).sort((a, b) => b[1] - a[1])) console.log(c, k, "\n   ", JSON.stringify(examples[k][0]).slice(0, 300));
