// `bwemu call` end to end against a loopback app: exit codes 0 / 1 / 2, the files it writes, the
// live view. Runs the command's own functions (no child process), with real servers.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startApp, startWs, xml, noContent, type App, type WsApp } from "../../emulator/call/test/servers.js";
import { checkFlags, runCall, type CallFlags } from "./call.js";
import { redactKey } from "../run/call.js";
import { conversation } from "../speech.js";
import { parseDuration } from "../parse.js";
import { UsageError } from "../exit.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "bwemu-call-"));
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

const flags = (over: Partial<CallFlags>): CallFlags => ({ app: "http://127.0.0.1:1/voice", duration: "20s", hangupAfter: "0.5s", method: "POST", fast: true, ...over });

async function bridge(): Promise<{ a: App; w: WsApp }> {
  const w = await startWs((sock) => {
    let n = 0;
    sock.on("message", () => {
      if (++n === 25) sock.send(JSON.stringify({ eventType: "playAudio", media: { contentType: "audio/pcmu", payload: Buffer.alloc(1600, 0x7f).toString("base64") } }));
    });
  });
  const a = await startApp((h, res) =>
    h.path === "/voice"
      ? xml(res, `<Response><StartStream name="agent" mode="bidirectional" tracks="both" destination="${w.url}" streamEventUrl="/events"/><StopStream name="agent" wait="true"/></Response>`)
      : noContent(res),
  );
  cleanup.push(() => a.close(), () => w.close());
  return { a, w };
}

describe("bwemu call", () => {
  it("exit 0 on a normal call; writes timeline, WAVs and BXML; prints a readable timeline", async () => {
    const { a } = await bridge();
    const out = await tmp();
    const input = await checkFlags(flags({ app: a.url, audio: "fixtures/audio/speech-hello.8k-mulaw.wav", out }));
    let text = "";
    const run = await runCall(input, (s) => (text += s));
    expect(run.exitCode).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files).toEqual(["bxml-1.xml", "caller.wav", "heard.wav", "stream-1-agent-inbound.wav", "stream-1-agent-played.wav", "timeline.jsonl"]);
    const lines = (await readFile(join(out, "timeline.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.some((e) => e.kind === "call.state" && e.data.state === "disconnected")).toBe(true);
    expect(text).toMatch(/webhook initiate POST .* → 200/);
    expect(text).toMatch(/▶ <StartStream>/);
    expect(text).toMatch(/frames out/);
    expect(text).toMatch(/✓ call completed normally/);
  });

  it("exit 1 with the reason when the app misbehaves (initiate answers 500)", async () => {
    const a = await startApp((_h, res) => {
      res.writeHead(500);
      res.end("boom");
    });
    cleanup.push(() => a.close());
    const out = await tmp();
    let text = "";
    const run = await runCall(await checkFlags(flags({ app: a.url, out })), (s) => (text += s));
    expect(run.exitCode).toBe(1);
    expect(run.reason).toMatch(/callback-error/);
    expect(text).toMatch(/✗ the call ended with cause callback-error/);
  });

  it("the hang-up reason is the real one: bwemu's --duration limit, not the caller, even with caller audio", async () => {
    const a = await startApp((_h, res) => xml(res, "<Response><Pause duration='30'/></Response>"));
    cleanup.push(() => a.close());
    let text = "";
    const run = await runCall(
      await checkFlags(flags({ app: a.url, out: await tmp(), duration: "1500ms", hangupAfter: "10s", audio: "fixtures/audio/speech-hello.8k-mulaw.wav" })),
      (s) => (text += s),
    );
    expect(run.exitCode).toBe(0);
    expect(run.result.endedBy).toBe("duration-limit");
    expect(text).toContain("ended by: bwemu's call duration limit of 1500 ms ended the call (bwemu's limit, not Bandwidth's; raise it with --duration)");
    expect(text).not.toMatch(/caller|finished speaking/i);
  });

  it("the hang-up reason when the caller's audio ended (--hangup-after) and when the app hangs up", async () => {
    const { a: streaming } = await bridge();
    let text = "";
    const run = await runCall(await checkFlags(flags({ app: streaming.url, out: await tmp(), hangupAfter: "300ms", audio: "fixtures/audio/speech-hello.8k-mulaw.wav" })), (s) => (text += s));
    expect(run.result.endedBy).toBe("caller-audio-done");
    expect(text).toContain("ended by: the caller hung up 300 ms after its audio ended (--hangup-after)");
    const a = await startApp((_h, res) => xml(res, "<Response><Hangup/></Response>"));
    cleanup.push(() => a.close());
    let text2 = "";
    const run2 = await runCall(await checkFlags(flags({ app: a.url, out: await tmp() })), (s) => (text2 += s));
    expect(run2.result.endedBy).toBe("app");
    expect(text2).toContain("ended by: the app ended the call (<Hangup> or the end of its BXML)");
  });

  it("a warning every document of the call repeats is shown once, with its count", async () => {
    // Express's default Content-Type on every reply: BXML accepted, a warning each time (ED-8).
    const a = await startApp((h, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      const next = { "/voice": "/r1", "/r1": "/r2" }[h.path];
      res.end(next ? `<Response><Redirect redirectUrl="${next}"/></Response>` : "<Response><Hangup/></Response>");
    });
    cleanup.push(() => a.close());
    let text = "";
    const run = await runCall(await checkFlags(flags({ app: a.url, out: await tmp() })), (s) => (text += s));
    expect(run.result.documents).toHaveLength(3);
    expect(text.match(/! warning webhook\.content-type:/g)).toHaveLength(1);
    expect(text).toContain("… 2 more finding webhook.content-type line(s) not shown: one warning ×3 on this call (all are in timeline.jsonl)");
  });

  it("flags of outbound calls and of the application map onto the input; misuse is a usage error", async () => {
    const input = await checkFlags(
      flags({ app: undefined, outbound: true, answerUrl: "http://127.0.0.1:9/answer", disconnectUrl: "http://127.0.0.1:9/bye", machineDetection: "silence", machineDetectionMode: "sync", accountId: "5551234", applicationId: "app-1" }),
    );
    expect(input.appUrl).toBe("http://127.0.0.1:9/answer");
    expect(input.outbound).toEqual({ disconnectUrl: "http://127.0.0.1:9/bye", machineDetection: { mode: "sync", result: "silence", durationMs: 1000, callback: undefined } });
    expect(input.settings).toMatchObject({ accountId: "5551234", applicationId: "app-1" });
    expect(input.machineDetection).toBe("silence");
    expect((await checkFlags(flags({ machineDetection: "human" }))).machineDetection).toBe("human"); // for the calls the app creates
    await expect(checkFlags(flags({ machineDetectionMode: "sync" }))).rejects.toThrow(/--machine-detection-mode needs --outbound/);
    expect((await checkFlags(flags({ statusUrl: "http://127.0.0.1:9/status" }))).settings.statusCallbackUrl).toBe("http://127.0.0.1:9/status");
    await expect(checkFlags(flags({ outbound: true }))).rejects.toThrow(/--app is the initiate URL of inbound calls/);
    await expect(checkFlags(flags({ app: undefined, outbound: true }))).rejects.toThrow(/--outbound needs --answer-url/);
    await expect(checkFlags(flags({ disconnectUrl: "http://127.0.0.1:9/bye" }))).rejects.toThrow(/--disconnect-url needs --outbound/);
    await expect(checkFlags(flags({ app: undefined, outbound: true, answerUrl: "http://x/a", statusUrl: "http://x/s" }))).rejects.toThrow(/--disconnect-url/);
    await expect(checkFlags(flags({ app: undefined, outbound: true, answerUrl: "http://x/a", machineDetection: "robot" }))).rejects.toThrow(/--machine-detection: "robot"/);
    await expect(checkFlags(flags({ accountId: "12/34" }))).rejects.toThrow(/--account-id/);
    await expect(checkFlags(flags({ app: undefined, outbound: true, answerUrl: "ftp://x/a" }))).rejects.toThrow(/--answer-url: ftp:\/\/x\/a must be http/);
  });

  it("--json prints timeline events and a result line", async () => {
    const a = await startApp((_h, res) => xml(res, "<Response><Pause duration='0.1'/></Response>"));
    cleanup.push(() => a.close());
    let text = "";
    const run = await runCall(await checkFlags(flags({ app: a.url, out: await tmp() })), (s) => (text += s), true);
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[lines.length - 1].result).toMatchObject({ disconnectCause: "hangup", exitCode: 0 });
    expect(run.exitCode).toBe(0);
  });

  it("usage errors (exit 2): bad URL, unreadable WAV (WavError message), bad --dtmf, bad duration", async () => {
    await expect(checkFlags(flags({ app: "not a url" }))).rejects.toThrow(UsageError);
    await expect(checkFlags(flags({ audio: "fixtures/audio/broken-not-riff.wav" }))).rejects.toThrow(/broken-not-riff.wav: /);
    await expect(checkFlags(flags({ audio: "/nonexistent.wav" }))).rejects.toThrow(/cannot read file/);
    await expect(checkFlags(flags({ dtmf: "12x" }))).rejects.toThrow(/--dtmf/);
    await expect(checkFlags(flags({ duration: "soon" }))).rejects.toThrow(/--duration/);
    await expect(checkFlags(flags({ linger: "soon" }))).rejects.toThrow(/--linger: "soon" is not a duration/);
    expect(await checkFlags(flags({ linger: "30s", hangupAfter: "2s" }))).toMatchObject({ lingerMs: 30_000, hangupAfterCallerMs: 2000 });
    expect((await checkFlags(flags({}))).lingerMs).toBe(0);
    await expect(checkFlags(flags({ callbackPassword: "x" }))).rejects.toThrow(/--callback-user/);
  });

  it("callback password from the environment; durations parse", async () => {
    const input = await checkFlags(flags({ callbackUser: "bw" }), { BWEMU_CALLBACK_PASSWORD: "from-env" });
    expect(input.settings.callbackCreds).toEqual({ username: "bw", password: "from-env" });
    expect(parseDuration("1500ms", "x")).toBe(1500);
    expect(parseDuration("2m", "x")).toBe(120_000);
    expect(parseDuration("30", "x")).toBe(30_000);
  });

  it("--turns builds an after-reply script cycling the speech fixtures", async () => {
    const input = await checkFlags(flags({ turns: "4", duration: undefined }));
    expect(input.turns).toBe(4);
    const c = input.caller as { script: { wav: string; start?: { kind: string } }[]; tailSilenceMs?: number };
    expect(c.script.map((u) => u.wav.split("/").pop())).toEqual([
      "speech-hello.8k-mulaw.wav",
      "speech-order.8k-mulaw.wav",
      "speech-long.8k-mulaw.wav",
      "speech-hello.8k-mulaw.wav",
    ]);
    expect(c.script.every((u) => u.start?.kind === "after-reply")).toBe(true);
    expect(input.maxDurationMs).toBe(70_000); // no --duration: 10 s + 15 s a turn
    expect(conversation(1, ["a.wav"])).toEqual({ script: [{ wav: "a.wav", silenceBeforeMs: 300, start: { kind: "after-reply", timeoutMs: 3000 } }], tailSilenceMs: 2500 });
  });

  it("Realtime flags: modes exclude each other, stub defaults, live URLs need the key (exit 2 errors)", async () => {
    const noApp = { app: undefined } as Partial<CallFlags>;
    await expect(checkFlags(flags({ ...noApp }))).rejects.toThrow(/--app <url>, --bridge <name> or --direct/);
    await expect(checkFlags(flags({ direct: true }))).rejects.toThrow(/--app and --direct exclude each other/);
    await expect(checkFlags(flags({ turns: "0" }))).rejects.toThrow(/--turns: expected an integer in 1..1000/);
    await expect(checkFlags(flags({ turns: "2", audio: "fixtures/audio/speech-hello.8k-mulaw.wav" }))).rejects.toThrow(/not --audio and --turns/);
    await expect(checkFlags(flags({ ...noApp, bridge: "nonesuch" }))).rejects.toThrow(/unknown bundled bridge "nonesuch"; one of: reference, passthrough, .*buffering-150ms/);
    await expect(checkFlags(flags({ bridgeDelay: "50ms" }))).rejects.toThrow(/--bridge-delay needs --bridge/);
    await expect(checkFlags(flags({ realtime: "wss://example.com/rt" }))).rejects.toThrow(/with --app your bridge connects to its own/);
    await expect(checkFlags(flags({ ...noApp, direct: true, realtime: "http://x" }))).rejects.toThrow(/must be ws:\/\/ or wss:\/\//);
    await expect(checkFlags(flags({ ...noApp, direct: true, realtime: "wss://api.openai.com/v1/realtime" }), {})).rejects.toThrow(/needs OPENAI_API_KEY/);
    await expect(checkFlags(flags({ greeting: true }))).rejects.toThrow(/--greeting applies to --bridge and --direct/);
    await expect(checkFlags(flags({ stubPort: "99999", realtime: "stub" }))).rejects.toThrow(/--stub-port/);
    // With --app the stub listens where the user's bridge expects it (4020, like `bwemu test`).
    expect((await checkFlags(flags({ realtime: "stub" }))).realtime).toEqual({ kind: "stub", port: 4020, script: undefined });
    expect((await checkFlags(flags({}))).realtime).toBeUndefined();
    const faulty = await checkFlags(flags({ ...noApp, bridge: "no-clear", bridgeDelay: "20ms" }));
    expect(faulty.bridge).toEqual({ kind: "reference", fault: "no-clear", downstreamDelayMs: 20 });
    expect(faulty.realtime).toEqual({ kind: "stub", port: 0, script: undefined });
    const live = await checkFlags(flags({ ...noApp, direct: true, realtime: "wss://api.openai.com/v1/realtime" }), { OPENAI_API_KEY: "sk-live-SECRET123456" });
    expect(live.realtime?.kind).toBe("url");
    expect(JSON.stringify(live)).not.toContain("sk-live-SECRET123456"); // the key is behind a function
    expect(live.realtime?.kind === "url" && live.realtime.apiKey()).toBe("sk-live-SECRET123456");
  });

  it("redactKey removes the key and anything shaped like one", () => {
    expect(redactKey("bad key sk-abc123XYZ and sk-proj-****wxyz", "sk-abc123XYZ")).toBe("bad key [redacted] and sk-[redacted]");
    expect(redactKey("nothing secret", undefined)).toBe("nothing secret");
  });
});
