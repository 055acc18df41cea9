// An app that places calls of its own during a call, as a callback or notification app does: on
// `initiate` it calls two numbers through bandwidth-sdk's CallsApi pointed at bwemu's Voice API (the
// base the webhook's callUrl names), with its own account and application ids (--account-id,
// --application-id). One of the two answer URLs fails (HTTP 500), so that call ends with
// callback-error: the run must say so and exit 1, every call's events must be in timeline.jsonl, each
// call's BXML written, its live lines prefixed with its short id. --status-url receives the inbound
// call's `disconnect`. Driven through the real CLI in a child process, on loopback.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bxml, CallsApi, Configuration } from "bandwidth-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../support/cli.js";
import { sendBxml as bxml, startSdkApp, type SdkApp } from "../support/sdk-app.js";

const ACCOUNT = "7654321";
const APPLICATION = "d8d3e1a6-0f4c-4c1e-9a55-reminders";

async function startApp(): Promise<SdkApp & { created: Promise<string[]> }> {
  let resolveCreated!: (ids: string[]) => void;
  let rejectCreated!: (e: unknown) => void;
  const created = new Promise<string[]>((res, rej) => ((resolveCreated = res), (rejectCreated = rej)));
  const app = await startSdkApp(async ({ path, body }, res, base) => {
    switch (path) {
      case "/voice": {
        // The Voice API the webhook's callUrl points at, as an app configured for a test environment uses.
        const basePath = new URL(String(body.callUrl)).origin + "/api/v2";
        const calls = new CallsApi(new Configuration({ username: "api-user", password: "api-pass", basePath }));
        const place = (to: string, answer: string, machineDetection?: { mode: "sync" }) =>
          calls.createCall(ACCOUNT, { applicationId: APPLICATION, from: String(body.to), to, answerUrl: `${base}${answer}`, disconnectUrl: `${base}/outbound-disconnect`, machineDetection });
        try {
          const a = await place("+15550001111", "/reminder-answer", { mode: "sync" });
          const b = await place("+15550002222", "/broken-answer");
          resolveCreated([a.data.callId!, b.data.callId!]);
        } catch (e) {
          rejectCreated(e);
        }
        return bxml(res, [new Bxml.SpeakSentence("We are calling your contacts."), new Bxml.Pause({ duration: 2 })]);
      }
      case "/reminder-answer":
        return bxml(res, [new Bxml.SpeakSentence("This is your reminder."), new Bxml.Hangup()]);
      case "/broken-answer":
        res.writeHead(500, { "content-type": "text/plain" });
        return res.end("TypeError: cannot read properties of undefined");
    }
  });
  return { ...app, created };
}

describe("calls the app creates through the Voice REST API (bandwidth-sdk CallsApi) during `bwemu call`", () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof startApp>>;
  let run: CliRun;
  let ids: string[];
  let events: { kind: string; callId?: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bwemu-created-"));
    app = await startApp();
    run = await runCli(
      [
        "call", "--app", `${app.base}/voice`, "--status-url", `${app.base}/status`,
        "--account-id", ACCOUNT, "--application-id", APPLICATION, "--duration", "20s", "--out", join(dir, "out"),
        "--machine-detection", "answering-machine",
      ],
      { timeoutMs: 90_000 },
    );
    ids = await app.created;
    events = (await readFile(join(dir, "out", "timeline.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the app's own account and application ids are accepted: both createCall requests answered 201", () => {
    const creates = events.filter((e) => e.kind === "http.exchange" && e.data.role === "rest-api" && e.data.method === "POST");
    expect(creates.map((e) => e.data.status)).toEqual([201, 201]);
    expect(String(creates[0].data.url)).toContain(`/accounts/${ACCOUNT}/calls`);
    expect(app.hooks.find((h) => h.path === "/voice")?.body).toMatchObject({ eventType: "initiate", accountId: ACCOUNT, applicationId: APPLICATION });
  });

  it("the failed second call fails the run: exit 1, the reason names the call and its cause, no ✓", () => {
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain("✓ call completed normally");
    expect(run.stdout).toMatch(new RegExp(`✗ call ${ids[1].slice(0, 10)} \\(created by the app\\): ended with cause callback-error`));
    expect(run.stdout).toMatch(new RegExp(`✓ \\[${ids[0].slice(0, 10)}\\] created by the app: cause hangup`));
  });

  it("every call's events are in timeline.jsonl: created, webhooks, BXML, disconnect", () => {
    for (const id of ids) {
      const mine = events.filter((e) => e.callId === id);
      expect(mine.find((e) => e.kind === "call.created")?.data).toMatchObject({ direction: "outbound" });
      expect(mine.some((e) => e.kind === "webhook.result" && e.data.eventType === "answer")).toBe(true);
      expect(mine.some((e) => e.kind === "call.state" && e.data.state === "disconnected")).toBe(true);
    }
    const broken = events.find((e) => e.callId === ids[1] && e.kind === "call.state" && e.data.state === "disconnected")!;
    expect(broken.data).toMatchObject({ cause: "callback-error", endedBy: "app" });
    expect(events.some((e) => e.callId === ids[0] && e.kind === "bxml.received")).toBe(true);
  });

  it("each created call has its own folder: its timeline and its BXML", async () => {
    const good = join(dir, "out", ids[0]);
    expect((await readdir(good)).sort()).toEqual(expect.arrayContaining(["bxml-1.xml", "timeline.jsonl"]));
    expect(await readFile(join(good, "bxml-1.xml"), "utf8")).toContain("This is your reminder.");
    const own = (await readFile(join(good, "timeline.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(own.every((e) => e.callId === ids[0] || e.kind === "timeline.dropped")).toBe(true);
    const broken = join(dir, "out", ids[1]);
    expect(await readdir(broken)).toContain("timeline.jsonl");
  });

  it("live lines of the created calls carry their short id", () => {
    for (const id of ids) expect(run.stdout).toMatch(new RegExp(`\\[${id.slice(0, 10)}\\] call ${id} outbound`));
    expect(run.stdout).toMatch(new RegExp(`\\[${ids[1].slice(0, 10)}\\] webhook answer POST .*/broken-answer → FAILED`));
  });

  it("createCall's machineDetection (sync) puts the result --machine-detection names into `answer`", () => {
    const answer = app.hooks.find((h) => h.path === "/reminder-answer")!;
    expect(answer.body).toMatchObject({ eventType: "answer", machineDetectionResult: { value: "answering-machine", duration: "PT1S" } });
    expect(app.hooks.find((h) => h.path === "/broken-answer")?.body.machineDetectionResult).toBeUndefined();
  });

  it("--status-url receives the inbound call's disconnect; the created calls' go to their disconnectUrl", () => {
    const status = app.hooks.filter((h) => h.path === "/status");
    expect(status).toHaveLength(1);
    expect(status[0].body).toMatchObject({ eventType: "disconnect", direction: "inbound", cause: "hangup", accountId: ACCOUNT });
    const out = app.hooks.filter((h) => h.path === "/outbound-disconnect").map((h) => h.body.cause).sort();
    expect(out).toEqual(["callback-error", "hangup"]);
  });
});
