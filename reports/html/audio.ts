// Audio players with a waveform drawn from the PCM itself (inline SVG, so no script is needed to
// see it). Any WAV is re-encoded as 16-bit PCM for the data: URI so every browser plays it.

import type { AudioClip } from "../model.js";
import { html, idFor, ms, raw, type Raw } from "./escape.js";
import { decodeWav, encodeWavPcm16, peaks } from "./wav.js";

export const DEFAULT_MAX_AUDIO_SECONDS = 300;
const W = 1000;
const H = 56;

function waveform(samples: Float32Array, rate: number, audioId: string, kind: string, label: string): Raw {
  const buckets = 500;
  const pk = peaks(samples, buckets);
  const mid = H / 2 - 5;
  const amp = mid - 2;
  let top = "";
  let bottom = "";
  pk.forEach((p, i) => {
    const x = ((i + 0.5) / buckets) * W;
    top += `${i ? "L" : "M"}${x.toFixed(1)} ${(mid - Math.max(p.max, 0.004) * amp).toFixed(1)}`;
    bottom = `L${x.toFixed(1)} ${(mid - Math.min(p.min, -0.004) * amp).toFixed(1)}` + bottom;
  });
  const seconds = samples.length / rate;
  const step = seconds > 60 ? 10 : seconds > 20 ? 5 : seconds > 6 ? 2 : seconds > 1 ? 0.5 : 0.1;
  const ticks: Raw[] = [];
  for (let t = step; t < seconds - step / 4; t += step) {
    const x = (t / seconds) * W;
    ticks.push(html`<line class="axis" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${H - 10}" y2="${H - 7}"></line><text x="${x.toFixed(1)}" y="${H - 1}" text-anchor="middle">${step < 1 ? t.toFixed(1) : t.toFixed(0)} s</text>`);
  }
  return html`<svg class="wave ${kind}" data-audio="${audioId}" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" tabindex="0" aria-label="${label}: waveform, ${seconds.toFixed(2)} s; click to seek, arrow keys to move, space to play"><line class="axis" x1="0" x2="${W}" y1="${mid}" y2="${mid}"></line><path d="${raw(top + bottom + "Z")}"></path>${ticks}<line class="head" x1="0" x2="0" y1="0" y2="${H - 10}" style="display:none"></line></svg>`;
}

export function renderClip(clip: AudioClip | undefined, who: string, hint: string, kind: "caller" | "returned" | "heard", callId: string, maxSeconds = DEFAULT_MAX_AUDIO_SECONDS): Raw {
  const title = html`<div class="who">${who}<small>${hint}</small></div>`;
  if (!clip) return html`<div class="audio-row">${title}<div class="audio-missing">not recorded</div></div>`;
  if (!clip.wavBase64) return html`<div class="audio-row">${title}<div class="audio-missing">not embedded: <span class="mono">${clip.path ?? "(no data)"}</span> · ${ms(clip.durationMs)}</div></div>`;
  const decoded = decodeWav(Buffer.from(clip.wavBase64, "base64"), maxSeconds);
  if (!decoded.ok) return html`<div class="audio-row">${title}<div class="audio-missing">unplayable audio: ${decoded.error}</div></div>`;
  const { samples, sampleRate } = decoded.wav;
  const id = idFor("audio", `${callId}-${kind}`);
  const uri = `data:audio/wav;base64,${Buffer.from(encodeWavPcm16(samples, sampleRate)).toString("base64")}`;
  const cut = clip.durationMs / 1000 > maxSeconds + 0.05 ? html` <span class="warn-n">(first ${maxSeconds} s of ${ms(clip.durationMs)})</span>` : raw("");
  return html`<div class="audio-row">${title}<div><audio id="${id}" controls preload="metadata" src="${uri}" aria-label="${who} audio"></audio>${cut}</div><div></div>${waveform(samples, sampleRate, id, kind, who)}</div>`;
}
