// <PlayAudio> (bandwidth.md §2.10): fetch the file (Basic creds, relative URL) and play it to the
// caller. WAV and MP3 are told apart by content (RIFF/WAVE; ID3 / MPEG layer III frames); the
// carrier's own rule (Content-Type, then extension, else WAV) is checked against it and a mismatch is
// a warning, since the live platform picks its decoder by that rule. Neither WAV nor MP3, unreachable
// or non-2xx → the call ends `application-error` (OPEN-21), naming the URL and what was found.

import type { BxmlElement } from "../../bxml/model.js";
import { decodeMp3 } from "../../media/mp3.js";
import { sniffAudio } from "../../media/sniff.js";
import { readWav } from "../../media/wav.js";
import { resample } from "../../media/resample.js";
import { clipBody, redactHeaders } from "../../timeline.js";
import { headerValue, sendRaw } from "../../webhooks/http.js";
import { basicAuth, USER_AGENT } from "../../webhooks/request.js";
import { creds, text } from "../attrs.js";
import type { VerbHost } from "../host.js";
import { NEXT, VerbError, type VerbExecutor } from "../executor.js";

export class PlayAudioError extends VerbError {
  override name = "PlayAudioError";
}

export type AudioKind = "wav" | "mp3";

/** §2.10 format rule: what the carrier takes the file for, and why. */
export function detectFormat(contentType: string | undefined, url: string): { kind: AudioKind; by: string } {
  const ct = contentType?.split(";")[0].trim().toLowerCase();
  if (ct === "audio/wav" || ct === "audio/x-wav") return { kind: "wav", by: `Content-Type ${ct}` };
  if (ct === "audio/mpeg" || ct === "audio/mpeg3" || ct === "audio/mp3") return { kind: "mp3", by: `Content-Type ${ct}` };
  const path = (() => {
    try {
      return new URL(url).pathname.toLowerCase();
    } catch {
      return url.toLowerCase();
    }
  })();
  if (path.endsWith(".mp3")) return { kind: "mp3", by: "the .mp3 extension" };
  if (path.endsWith(".wav")) return { kind: "wav", by: "the .wav extension" };
  return { kind: "wav", by: "no audio Content-Type and no .wav/.mp3 extension" };
}

/** Fetch and decode one PlayAudio file to 8 kHz mono PCM16; throws PlayAudioError with the reason. */
export async function fetchAudio(call: VerbHost, el: BxmlElement, baseUrl: string | undefined, signal: AbortSignal): Promise<Int16Array> {
  const url = call.resolve(text(el), baseUrl);
  const c = creds(el);
  const headers: Record<string, string> = { "user-agent": USER_AGENT };
  if (c) headers.authorization = basicAuth(c);
  const t0 = call.clock.nowUs();
  const max = call.settings.maxAudioBytes ?? 50 * 1024 * 1024;
  const { result, bytes } = await sendRaw(
    { method: "GET", url, headers },
    { timeoutMs: call.callbackTimeoutMs ?? call.settings.callbackTimeoutMs, maxResponseBytes: max, signal, binary: true },
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
    durationUs: call.clock.nowUs() - t0,
    attempt: 1,
  });
  if (signal.aborted) throw new PlayAudioError("aborted");
  if (result.kind !== "response") {
    throw new PlayAudioError(`PlayAudio ${url} could not be fetched: ${result.kind === "too-large" ? `file larger than ${max} bytes` : result.error}`, "play-audio-fetch");
  }
  if (result.status < 200 || result.status > 299) throw new PlayAudioError(`PlayAudio ${url} answered HTTP ${result.status}`, "play-audio-fetch");
  const ct = headerValue(result.headers, "content-type");
  const data = new Uint8Array(bytes!);
  const found = sniffAudio(data);
  if (found.kind === "other") {
    throw new PlayAudioError(`PlayAudio ${url} is neither WAV nor MP3: ${found.found} (Content-Type ${ct ?? "none"})`);
  }
  const declared = detectFormat(ct, url);
  if (declared.kind !== found.kind) {
    call.finding(
      "call.play-audio-format",
      `PlayAudio ${url} is ${found.kind.toUpperCase()}, but Bandwidth's rule takes it for ${declared.kind.toUpperCase()} (${declared.by}): the live platform picks the decoder by Content-Type, then extension, and may not play it`,
    );
  }
  try {
    if (found.kind === "wav") return to8kMono(await readWav(data, url));
    const mp3 = await decodeMp3(data, url, { sampleRate: 8000 });
    if (mp3.errors.length) call.record("note", { message: `PlayAudio ${url}: ${mp3.errors.length} MP3 frame(s) could not be decoded and were skipped (${mp3.errors[0]})` });
    return mp3.pcm;
  } catch (e) {
    throw new PlayAudioError(`PlayAudio ${url}: unsupported media (${e instanceof Error ? e.message : String(e)}); Bandwidth plays WAV and MP3 files`);
  }
}

/** DecodedAudio (already mixed down to mono, §2.10) → 8 kHz. */
function to8kMono(d: { sampleRate: number; pcm: Int16Array }): Int16Array {
  return d.sampleRate === 8000 ? d.pcm : resample(d.pcm, d.sampleRate, 8000);
}

export async function playFile(call: VerbHost, el: BxmlElement, baseUrl: string | undefined, signal: AbortSignal): Promise<void> {
  const release = call.clock.hold?.(); // virtual time (--fast) waits for the download and decode
  const pcm = await fetchAudio(call, el, baseUrl, signal).finally(release);
  const audio = await call.getAudio();
  await audio.play(pcm, signal);
}

export const PlayAudio: VerbExecutor = async ({ call, el, baseUrl, signal }) => {
  try {
    await playFile(call, el, baseUrl, signal);
  } catch (e) {
    if (e instanceof PlayAudioError && !signal.aborted) {
      call.finding("call.play-audio", e.message);
      return { kind: "end", cause: "application-error", errorMessage: e.reason };
    }
    throw e;
  }
  return NEXT;
};
