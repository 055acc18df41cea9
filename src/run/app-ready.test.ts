// Readiness of the app under test, with real loopback sockets.
import { createServer, type Server } from "node:net";
import { afterEach, expect, it } from "vitest";
import { UsageError } from "../exit.js";
import { shownUrl, waitForApp } from "./app-ready.js";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(port = 0): Promise<number> {
  const s = createServer((c) => c.end());
  servers.push(s);
  await new Promise<void>((r) => s.listen(port, "127.0.0.1", r));
  return (s.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const port = await listen();
  servers.pop()!.close();
  return port;
}

it("resolves when something accepts connections", async () => {
  const port = await listen();
  await expect(waitForApp(`http://127.0.0.1:${port}/voice`)).resolves.toBeUndefined();
});

it("refused: a UsageError naming the URL (no userinfo, no query) and the way to wait", async () => {
  const port = await freePort();
  const err = await waitForApp(`http://user:secret@127.0.0.1:${port}/voice?token=abc`).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toBe(`the app at http://127.0.0.1:${port}/voice does not answer (connection refused): start it first, or give --wait-for-app <time> (e.g. 30s) to wait for it`);
});

it("with a wait: polls until the app listens, reporting the first failure once", async () => {
  const port = await freePort();
  const waits: string[] = [];
  const ready = waitForApp(`http://127.0.0.1:${port}/`, { waitMs: 30_000, intervalMs: 50, onWait: (r) => waits.push(r) });
  await new Promise((r) => setTimeout(r, 300));
  await listen(port);
  await expect(ready).resolves.toBeUndefined();
  expect(waits).toEqual(["connection refused"]);
});

it("with a wait: gives up after the time, naming it", async () => {
  const port = await freePort();
  await expect(waitForApp(`http://127.0.0.1:${port}/voice`, { waitMs: 400, intervalMs: 50 })).rejects.toThrow(`the app at http://127.0.0.1:${port}/voice did not answer within 0.4 s (--wait-for-app; last attempt: connection refused)`);
});

it("shownUrl drops userinfo and query", () => {
  expect(shownUrl(new URL("https://a:b@example.com:8443/x/y?k=v#f"))).toBe("https://example.com:8443/x/y");
});
