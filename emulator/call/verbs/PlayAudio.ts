// <PlayAudio> (bandwidth.md §2.10): fetch the file (Basic creds, relative URL), detect the format
// by Content-Type, then extension, else WAV; play it to the caller. Unsupported media → the call
// ends `application-error`; unreachable / non-2xx → `application-error` too (OPEN-21). MP3 is not
// decoded by the emulator and is reported as unsupported (setting-free: stated in the message).

import type { BxmlElement } from "../../bxml/model.js";
import { readWav } from "../../media/wav.js";
import { resample } from "../../media/resample.js";
import { clipBody, redactHeaders } from "../../timeline.js";
import { headerValue, sendRaw } from "../../webhooks/http.js";
import { basicAuth, USER_AGENT } from "../../webhooks/request.js";
import { creds, text } from "../attrs.js";
import type { VerbHost } from "../host.js";
import { NEXT, type VerbExecutor } from "../executor.js";

export class PlayAudioError extends Error {
  override name = "PlayAudioError";
}

export type AudioKind = "wav" | "mp3";

/** §2.10 format detection. */
export function detectFormat(contentType: string | undefined, url: string): AudioKind {
  const ct = contentType?.split(";")[0].trim().toLowerCase();
  if (ct === "audio/wav" || ct === "audio/x-wav") return "wav";
  if (ct === "audio/mpeg" || ct === "audio/mpeg3" || ct === "audio/mp3") return "mp3";
  const path = (() => {
    try {
      return new URL(url).pathname.toLowerCase();
    } catch {
      return url.toLowerCase();
    }
  })();
  if (path.endsWith(".mp3")) return "mp3";
  return "wav";
}

/** Fetch and decode one PlayAudio file to 8 kHz mono PCM16; throws PlayAudioError with the reason. */
export async function fetchAudio(call: VerbHost, el: BxmlElement, baseUrl: string | undefined, signal: AbortSignal): Promise<Int16Array> {
  const url = call.resolve(text(el), baseUrl);
  const c = creds(el);
  const headers: Record<string, string> = { "user-agent": USER_AGENT };
  if (c) headers.authorization = basicAuth(c);
  const t0 = call.ctx.clock.nowUs();
  const max = call.ctx.settings.maxAudioBytes ?? 50 * 1024 * 1024;
  const { result, bytes } = await sendRaw(
    { method: "GET", url, headers },
    { timeoutMs: call.callbackTimeoutMs ?? call.ctx.settings.callbackTimeoutMs, maxResponseBytes: max, signal, binary: true },
  );
  const isResp = result.kind === "response" || result.kind === "too-large";
  call.record("http.exchange", {
    role: "audio-fetch",
    method: "GET",
    url,
    requestHeaders: redactHeaders(headers),
    status: isResp ? result.status : undefined,
    responseHeaders: isResp ? redactHeaders(result.headers) : undefined,
    responseBody: isResp && result.status >= 300 ? clipBody(result.body, 2048).text : undefined,
    error: result.kind === "connection-error" || result.kind === "timeout" ? result.error : result.kind === "too-large" ? `larger than ${max} bytes` : undefined,
    durationUs: call.ctx.clock.nowUs() - t0,
    attempt: 1,
  });
  if (signal.aborted) throw new PlayAudioError("aborted");
  if (result.kind !== "response") {
    throw new PlayAudioError(`PlayAudio ${url} could not be fetched: ${result.kind === "too-large" ? `file larger than ${max} bytes` : result.error} (OPEN-21)`);
  }
  if (result.status < 200 || result.status > 299) throw new PlayAudioError(`PlayAudio ${url} answered HTTP ${result.status} (OPEN-21)`);
  const ct = headerValue(result.headers, "content-type");
  const kind = detectFormat(ct, url);
  if (kind === "mp3") throw new PlayAudioError(`PlayAudio ${url} is MP3 (${ct ?? "by extension"}); the emulator plays WAV only`);
  try {
    const decoded = await readWav(new Uint8Array(bytes!), url);
    return to8kMono(decoded);
  } catch (e) {
    throw new PlayAudioError(`PlayAudio ${url}: unsupported media (${e instanceof Error ? e.message : String(e)}) (§2.10)`);
  }
}

/** DecodedAudio (already mixed down to mono, §2.10) → 8 kHz. */
function to8kMono(d: { sampleRate: number; pcm: Int16Array }): Int16Array {
  return d.sampleRate === 8000 ? d.pcm : resample(d.pcm, d.sampleRate, 8000);
}

export async function playFile(call: VerbHost, el: BxmlElement, baseUrl: string | undefined, signal: AbortSignal): Promise<void> {
  const pcm = await fetchAudio(call, el, baseUrl, signal);
  const audio = await call.getAudio();
  await audio.play(pcm, signal);
}

export const PlayAudio: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  try {
    await playFile(call, el, baseUrl, signal);
  } catch (e) {
    if (e instanceof PlayAudioError && !signal.aborted) {
      call.finding("call.play-audio", e.message);
      return { kind: "end", cause: "application-error", errorMessage: e.message };
    }
    throw e;
  }
  return NEXT;
};
