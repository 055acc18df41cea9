// An outbound IVR written the way Bandwidth's samples are (a node:http handler routing by path,
// bandwidth-sdk's BXML builders): the app is reached by an outbound call (`answer`, as after REST
// createCall), asks for a digit with <Gather>, repeats itself through <Redirect> on "2" and connects
// the called party to an agent stream (<StartStream> + <Pause>) on "1". Driven through the real CLI
// in a child process: `bwemu call --outbound --answer-url … --dtmf …`, on loopback, real time.
// Answering-machine detection (sync and async) goes through the same app.
import type { AddressInfo } from "node:net";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Bxml } from "bandwidth-sdk";
import { WebSocketServer, type WebSocket } from "ws";
import { beforeAll, describe, expect, it } from "vitest";
import { closeAfterAll, scratchDirAfterAll } from "../support/cleanup.js";
import { runCli, type CliRun } from "../support/cli.js";
import { sendBxml as bxml, startSdkApp, type Hook } from "../support/sdk-app.js";

const ACCOUNT = "5551234";
const APPLICATION = "ivr-app-7c1f";

/** The IVR app: its webhooks, and the agent's media WebSocket. */
async function startIvr(): Promise<{ base: string; hooks: Hook[]; frames: Record<string, unknown>[]; close(): Promise<void> }> {
  const frames: Record<string, unknown>[] = [];
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  wss.on("connection", (ws: WebSocket) => ws.on("message", (m) => frames.push(JSON.parse(m.toString()))));
  const agent = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/agent`;
  const menu = () =>
    new Bxml.Gather({ gatherUrl: "/callbacks/gather", maxDigits: 1, firstDigitTimeout: 10 }, new Bxml.SpeakSentence("Press 1 for an agent, 2 to hear this again."));
  const app = await startSdkApp(({ path, body }, res) => {
    switch (path) {
      case "/callbacks/answer": {
        const machine = (body.machineDetectionResult as { value?: string } | undefined)?.value;
        if (machine === "answering-machine") return bxml(res, [new Bxml.Hangup()]); // no message on machines
        return bxml(res, [menu()]);
      }
      case "/callbacks/redirect":
        return bxml(res, [menu()]);
      case "/callbacks/gather":
        if (body.digits === "1") {
          return bxml(res, [
            new Bxml.StartStream({ name: "agent", mode: "bidirectional", tracks: "inbound", destination: agent, streamEventUrl: "/callbacks/stream" }),
            new Bxml.Pause({ duration: 2 }),
          ]);
        }
        return bxml(res, [new Bxml.Redirect({ redirectUrl: "/callbacks/redirect" })]);
    }
  });
  return {
    base: app.base,
    hooks: app.hooks,
    frames,
    close: async () => {
      await app.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

describe("an outbound IVR (bandwidth-sdk BXML) driven by `bwemu call --outbound`", () => {
  const dir = scratchDirAfterAll("outbound");
  let app: Awaited<ReturnType<typeof startIvr>>;
  let run: CliRun;

  const closing = closeAfterAll();

  beforeAll(async () => {
    app = closing(await startIvr());
    run = await runCli(
      [
        "call",
        "--outbound",
        "--answer-url", `${app.base}/callbacks/answer`,
        "--disconnect-url", `${app.base}/callbacks/disconnect`,
        "--dtmf", "2WW1",
        "--audio", "fixtures/audio/speech-hello.8k-mulaw.wav",
        "--hangup-after", "10s",
        "--duration", "30s",
        "--account-id", ACCOUNT,
        "--application-id", APPLICATION,
        "--out", join(dir, "ivr"),
      ],
      { timeoutMs: 90_000 },
    );
  }, 120_000);

  it("exit 0: the call completed normally, ended by the app's BXML", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("outbound call, answer");
    expect(run.stdout).toContain("✓ call completed normally");
    expect(run.stdout).toContain("ended by: the app ended the call");
  });

  it("the app is reached with `answer` (never `initiate`), as an outbound call of its own account and application", () => {
    expect(app.hooks.map((h) => h.body.eventType)).not.toContain("initiate");
    const answer = app.hooks.find((h) => h.path === "/callbacks/answer")!;
    expect(answer.body).toMatchObject({ eventType: "answer", direction: "outbound", accountId: ACCOUNT, applicationId: APPLICATION });
    expect(typeof answer.body.answerTime).toBe("string");
    expect(answer.body.machineDetectionResult).toBeUndefined();
  });

  it("the digits drive the menu: 2 repeats it through Redirect, 1 connects the agent stream", () => {
    const flow = app.hooks.filter((h) => h.path !== "/callbacks/stream").map((h) => `${h.body.eventType}${h.body.digits !== undefined ? `:${h.body.digits}` : ""}`);
    expect(flow).toEqual(["answer", "gather:2", "redirect", "gather:1", "disconnect"]);
    const start = app.frames.find((f) => f.eventType === "start") as { metadata: { callId: string; accountId: string } } | undefined;
    expect(start?.metadata).toMatchObject({ accountId: ACCOUNT });
    // The called party's audio (--audio) reaches the agent.
    expect(app.frames.filter((f) => f.eventType === "media").length).toBeGreaterThan(20);
  });

  it("disconnect goes to --disconnect-url when the app's document ends", () => {
    const d = app.hooks.find((h) => h.path === "/callbacks/disconnect")!;
    expect(d.body).toMatchObject({ eventType: "disconnect", direction: "outbound", cause: "hangup", accountId: ACCOUNT });
  });

  it("writes the timeline and every BXML document", async () => {
    const out = join(dir, "ivr");
    const files = await readdir(out);
    expect(files.filter((f) => f.startsWith("bxml-")).sort()).toEqual(["bxml-1.xml", "bxml-2.xml", "bxml-3.xml", "bxml-4.xml"]);
    expect(await readFile(join(out, "bxml-4.xml"), "utf8")).toContain("<StartStream");
    const events = (await readFile(join(out, "timeline.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(events.find((e) => e.kind === "call.created")?.data).toMatchObject({ direction: "outbound" });
    expect(events.find((e) => e.kind === "call.state" && e.data.state === "disconnected")?.data).toMatchObject({ cause: "hangup", endedBy: "app" });
  });

  it("machine detection, sync: the result travels in `answer`; the app hangs up on a machine", async () => {
    const before = app.hooks.length;
    const r = await runCli(
      ["call", "--outbound", "--answer-url", `${app.base}/callbacks/answer`, "--machine-detection", "answering-machine", "--machine-detection-mode", "sync", "--fast", "--out", join(dir, "amd-sync")],
      { timeoutMs: 60_000 },
    );
    expect(r.code).toBe(0);
    const answer = app.hooks.slice(before).find((h) => h.path === "/callbacks/answer")!;
    expect(answer.body.machineDetectionResult).toEqual({ value: "answering-machine", duration: "PT1S" });
    expect(app.hooks.slice(before).map((h) => h.path)).toEqual(["/callbacks/answer"]);
  }, 90_000);

  it("machine detection, async: machineDetectionComplete goes to --machine-detection-url while the menu runs", async () => {
    const before = app.hooks.length;
    const r = await runCli(
      [
        "call", "--outbound", "--answer-url", `${app.base}/callbacks/answer`, "--machine-detection", "human",
        "--machine-detection-url", `${app.base}/callbacks/amd`, "--dtmf", "1", "--fast", "--out", join(dir, "amd-async"),
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code).toBe(0);
    const hooks = app.hooks.slice(before);
    expect(hooks[0].body.machineDetectionResult).toBeUndefined();
    const amd = hooks.find((h) => h.path === "/callbacks/amd");
    expect(amd?.body).toMatchObject({ eventType: "machineDetectionComplete", direction: "outbound", machineDetectionResult: { value: "human", duration: "PT1S" } });
    expect(hooks.map((h) => h.body.digits).filter(Boolean)).toEqual(["1"]);
  }, 90_000);

  it("usage errors name the flag: --answer-url without --outbound, async detection without its URL", async () => {
    const a = await runCli(["call", "--answer-url", `${app.base}/x`], { timeoutMs: 30_000 });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("--answer-url needs --outbound");
    const b = await runCli(["call", "--outbound", "--answer-url", `${app.base}/x`, "--machine-detection", "human"], { timeoutMs: 30_000 });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("--machine-detection-url");
  }, 60_000);
});
