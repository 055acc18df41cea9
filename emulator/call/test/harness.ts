// Shared setup for the carrier tests: a Carrier in fast pacing with short timeouts, loopback app
// servers, and cleanup after each test.

import { afterEach } from "vitest";
import { Carrier } from "../carrier.js";
import type { CarrierDeps } from "../types.js";
import { startApp, startWs, type App, type WsApp } from "./servers.js";

const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

export function carrier(deps: CarrierDeps = {}): Carrier {
  const c = new Carrier({ ...deps, settings: { pacing: "fast", callbackTimeoutMs: 3000, ...deps.settings } });
  cleanup.push(() => c.close());
  return c;
}

export async function app(handler: Parameters<typeof startApp>[0]): Promise<App> {
  const a = await startApp(handler);
  cleanup.push(() => a.close());
  return a;
}

export async function ws(...args: Parameters<typeof startWs>): Promise<WsApp> {
  const w = await startWs(...args);
  cleanup.push(() => w.close());
  return w;
}

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Poll `cond` every 20 ms until true; reject after `ms`. */
export async function until(cond: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
