// The config file's `carrier` section reaches the carrier `bwemu serve` runs: with `allowInsecureWs: false`
// a ws:// StartStream is rejected, and the app's mediaStreamRejected says why and links the decision.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decisionUrl } from "../../emulator/decisions.js";
import { startServeProcess, startTestApp, type ServeProcess, type TestApp } from "./helpers.js";
import { until } from "../support/loopback.js";

describe("bwemu serve with a config file's carrier section", () => {
  let serve: ServeProcess | undefined;
  let app: TestApp | undefined;
  afterAll(async () => {
    if (serve && serve.child.exitCode === null) await serve.stop("SIGKILL");
    await app?.close();
  });

  it("allowInsecureWs: false rejects a ws:// stream, naming the setting (the decision's link stays out of the app's errorMessage)", async () => {
    app = await startTestApp({ "/voice": `<Response><StartStream destination="ws://127.0.0.1:9/media" streamEventUrl="/events"/><Pause duration="1"/></Response>`, "/events": undefined });
    const dir = mkdtempSync(join(tmpdir(), "bwemu-serve-cfg-"));
    writeFileSync(join(dir, "bwemu.config.mjs"), "export default { carrier: { allowInsecureWs: false } };\n");
    serve = await startServeProcess(["--port", "0", "--realtime", "none", "--config", join(dir, "bwemu.config.mjs"), "--quiet"]);
    const r = await fetch(`${serve.ready.url}/_bwemu/calls`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appUrl: `${app.url}/voice` }) });
    expect(r.status).toBe(201);
    const rejected = await until("mediaStreamRejected", () => app!.hooks.find((h) => h.body.eventType === "mediaStreamRejected"));
    expect(rejected.body.errorMessage).toContain("insecure ws:// destination refused (the carrier setting allowInsecureWs is off)");
    expect(rejected.body.errorMessage).not.toContain(decisionUrl("insecure-ws"));
  }, 40_000);
});
