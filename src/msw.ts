// bwemu behind msw (an optional peer dependency): code under test keeps Bandwidth's and OpenAI's
// real addresses and reaches bwemu in the same process, no network.
//
//   const bwemu = useBwemu();                                   // bwemu/vitest
//   const server = setupServer(...voiceApiHandlers(bwemu));     // msw/node
//   beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
//   // the app's `new CallsApi(new Configuration({ username, password }))` now reaches bwemu
//
// voiceApiHandlers mounts the Voice REST API on https://voice.bandwidth.com/api/v2 (the bandwidth-sdk's
// server for CallsApi, RecordingsApi…) and answers its OAuth token endpoint; each request is handed to
// the carrier's own Voice API (the loopback server bwemu already runs), so validation, Bandwidth's
// error shapes and the timeline are the emulator's, with nothing implemented twice. The Realtime stub
// for clients that use the global WebSocket is realtimeStubHandler (see emulator/realtime/msw.ts for
// which clients msw can intercept).

import { randomBytes } from "node:crypto";
import { bypass, http, HttpResponse, passthrough, type HttpHandler } from "msw";

export { realtimeStubHandler, OPENAI_REALTIME_URL, type MswRealtimeStub } from "../emulator/realtime/msw.js";

/** Bandwidth's Voice API, as bandwidth-sdk addresses it (its operationServerMap for CallsApi, RecordingsApi…). */
export const BANDWIDTH_VOICE_API_URL = "https://voice.bandwidth.com/api/v2";
/** Where bandwidth-sdk trades clientId/clientSecret for a bearer token (its Configuration). */
export const BANDWIDTH_OAUTH_TOKEN_URL = "https://api.bandwidth.com/api/v1/oauth2/token";

/** Anything with the carrier's Voice API base: what useBwemu()/startBwemu() return, or `{ apiBaseUrl }` of a `bwemu serve`. Read per request. */
export interface VoiceApiTarget {
  readonly apiBaseUrl: string;
}

export interface VoiceApiHandlerOptions {
  /** The public base the app uses (default Bandwidth's, BANDWIDTH_VOICE_API_URL). */
  baseUrl?: string;
  /** Answer the OAuth token endpoint (default true): any client id and secret get a bearer token the emulator accepts. */
  oauth?: boolean;
  /**
   * Let loopback traffic through untouched (default true): the carrier's webhooks and media streams
   * to the app, the app's own calls to bwemu's loopback URLs (callUrl, mediaUrl). msw intercepts
   * every request of the process, so with `onUnhandledRequest: "error"` these would fail otherwise.
   */
  loopback?: boolean;
}

/** http(s) URLs on 127.0.0.0/8, localhost or [::1]. */
const LOOPBACK = /^https?:\/\/(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d+)?\//i;

/** Hop-by-hop and encoding headers that describe the loopback leg, not the response handed to the app. */
const LEG_HEADERS = ["connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"];

export function voiceApiHandlers(target: VoiceApiTarget, options: VoiceApiHandlerOptions = {}): HttpHandler[] {
  const base = new URL(options.baseUrl ?? BANDWIDTH_VOICE_API_URL);
  const basePath = base.pathname.replace(/\/$/, "");
  const voice = http.all(`${base.origin}${basePath}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const to = `${target.apiBaseUrl.replace(/\/$/, "")}${url.pathname.slice(basePath.length)}${url.search}`;
    const headers = new Headers(request.headers);
    // The loopback leg carries its own Host; an Origin (a page under setupWorker) would be refused as cross-site.
    headers.delete("host");
    headers.delete("origin");
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const res = await fetch(bypass(to, { method: request.method, headers, body: hasBody ? await request.arrayBuffer() : undefined }));
    // Copied name by name: a Headers built from a fetch Response's reaches the app empty through msw's interceptors.
    const out = new Headers();
    res.headers.forEach((value, name) => {
      if (!LEG_HEADERS.includes(name)) out.append(name, value);
    });
    const body = res.status === 204 || res.status === 304 || request.method === "HEAD" ? null : await res.arrayBuffer();
    return new HttpResponse(body, { status: res.status, headers: out });
  });
  const handlers = [voice];
  if (options.loopback !== false) handlers.push(http.all(LOOPBACK, () => passthrough()));
  if (options.oauth === false) return handlers;
  const token = http.post(BANDWIDTH_OAUTH_TOKEN_URL, ({ request }) => {
    // RFC 6749 §5.2: client authentication by Basic credentials; without them, invalid_client.
    if (!/^Basic\s+\S+/i.test(request.headers.get("authorization") ?? "")) {
      return HttpResponse.json({ error: "invalid_client", error_description: "client credentials (Basic) are required" }, { status: 401 });
    }
    return HttpResponse.json({ access_token: `bwemu-${randomBytes(16).toString("hex")}`, token_type: "Bearer", expires_in: 3600 });
  });
  return [...handlers, token];
}
