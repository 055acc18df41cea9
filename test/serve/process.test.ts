// `bwemu serve` and `bwemu wait` as processes: the ready line, the health check CI scripts wait on,
// and SIGTERM ending a live call the way a carrier does (stream stopped, disconnect webhook) before
// the process exits 0.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startServeProcess, startTestApp, type ServeProcess, type TestApp } from "./helpers.js";
import { until } from "../support/loopback.js";

describe("bwemu serve and bwemu wait, as processes", () => {
  let serve: ServeProcess;
  let app: TestApp;
  let wsServer: http.Server;
  const frames: string[] = [];
  let closeCode: number | undefined;

  beforeAll(async () => {
    wsServer = http.createServer();
    const wss = new WebSocketServer({ server: wsServer });
    wss.on("connection", (ws) => {
      ws.on("message", (d) => frames.push(String(JSON.parse(d.toString()).eventType)));
      ws.on("close", (code) => (closeCode = code));
    });
    await new Promise<void>((r) => wsServer.listen(0, "127.0.0.1", () => r()));
    const wsUrl = `ws://127.0.0.1:${(wsServer.address() as AddressInfo).port}/media`;
    app = await startTestApp({ "/voice": `<Response><StartStream destination="${wsUrl}"/><Pause duration="60"/></Response>`, "/status": undefined });
    serve = await startServeProcess(["--port", "0", "--stub-port", "0", "--status-url", `${app.url}/status`, "--max-calls", "50"]);
  }, 40_000);

  afterAll(async () => {
    if (serve.child.exitCode === null) await serve.stop("SIGKILL");
    await app?.close();
    wsServer?.closeAllConnections();
    await new Promise<void>((r) => wsServer?.close(() => r()));
  });

  it("prints a JSON ready line with its URLs, the Realtime stub and the cap", async () => {
    expect(serve.ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(serve.ready.apiBaseUrl).toBe(`${serve.ready.url}/api/v2`);
    expect(serve.ready.health).toBe(`${serve.ready.url}/_bwemu/health`);
    expect(serve.ready.realtime).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
    expect(serve.ready.maxCalls).toBe(50);
    // The human lines follow the ready line: wait for them (a pipe delivers them separately).
    await until("the cap line", () => serve.output().includes("Keeping the newest 50 calls in memory") || undefined);
  });

  it("bwemu wait exits 0 when serve answers, 1 (with the reason) when nothing does before --timeout", async () => {
    const ok = await runCli(["wait", "--url", serve.ready.url, "--timeout", "10s"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`ready: ${serve.ready.health}`);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const late = await runCli(["wait", "--url", `http://127.0.0.1:${port}`, "--timeout", "1s", "--interval", "100ms"]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/not ready after 1s \(last: ECONNREFUSED\)/);
    const bad = await runCli(["wait", "--url", "ftp://x", "--timeout", "1s"]);
    expect(bad.code).toBe(2);
  }, 60_000);

  it("SIGTERM ends the live call like a carrier (stop frame, close, disconnect webhook), then exits 0", async () => {
    const r = await fetch(`${serve.ready.url}/_bwemu/calls`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appUrl: `${app.url}/voice`, audio: "long" }) });
    expect(r.status).toBe(201);
    const { callId } = (await r.json()) as { callId: string };
    await until("media flowing", () => (frames.filter((f) => f === "media").length > 5 ? true : undefined));
    const code = await serve.stop("SIGTERM");
    expect(code).toBe(0);
    expect(frames[0]).toBe("start");
    expect(frames[frames.length - 1]).toBe("stop");
    await until("the close", () => closeCode);
    expect(closeCode).toBe(1000);
    const disconnect = app.hooks.find((h) => h.path === "/status");
    expect(disconnect?.body).toMatchObject({ eventType: "disconnect", callId, cause: "hangup" });
    expect(serve.output()).toContain("SIGTERM: ending 1 live call");
    expect(serve.output()).toContain("Stopped.");
  }, 40_000);
});
