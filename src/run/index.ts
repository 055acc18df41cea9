// A whole `bwemu test` run: the stub (unless live), a bundled bridge when asked for one, the suite,
// and the reports. Used by `bwemu test`, `npm start` and the library API.

import { randomBytes } from "node:crypto";
import { startRealtimeStubForRun } from "../../emulator/realtime/thread.js";
import { writeReports, type WrittenReport } from "../../reports/write.js";
import type { ResolvedConfig } from "../config.js";
import { UsageError } from "../exit.js";
import { spawnBridge, type BridgeProcess } from "../../fixtures/bridges/process.js";
import { RUN_STUB_OPTIONS, runConformance, type ConformanceOutcome, type Progress } from "./conformance.js";
import { waitForApp } from "./app-ready.js";
import { buildBlob, writeBlob } from "./blob.js";
import { sharedScheduler } from "../../emulator/media/scheduler.js";
import type { ShardSpec } from "./shard.js";

export interface TestRunOptions {
  config: ResolvedConfig;
  /** Start a bundled bridge: "reference" or the name of a faulty one (fixtures/bridges/faulty). */
  bridge?: string;
  onProgress?: (p: Progress | { kind: "ready"; stubUrl?: string; appUrl: string; answerUrl?: string } | { kind: "waiting"; appUrl: string; reason: string; waitMs: number }) => void;
  /** With `config.app`: wait this long for the app to accept connections (0: it must already). */
  waitForAppMs?: number;
  /** Run only this shard's part of the selection (`--shard i/n`); its blob result is written to `config.out`. */
  shard?: ShardSpec;
  /** Write the blob result (`--reporter blob`); always with `shard`. */
  blob?: boolean;
}

export interface TestRunOutcome extends ConformanceOutcome {
  reports: WrittenReport[];
  bridgeOutput?: string[];
}

export async function runTest(o: TestRunOptions): Promise<TestRunOutcome> {
  const cfg = o.config;
  // An outbound-only run needs no initiate URL: the answer URL is the app.
  const app = cfg.app ?? (cfg.direction === "outbound" && !o.bridge ? cfg.answerUrl : undefined);
  if (!app && !o.bridge) throw new UsageError(`give the app's ${cfg.direction === "outbound" ? "answer URL with --answer-url (or --app)" : "initiate URL with --app URL"} (or --bridge reference to try the bundled one)`);
  if (cfg.app && o.bridge) throw new UsageError("--app and --bridge are exclusive");
  if ((cfg.answerUrl || cfg.disconnectUrl) && o.bridge) throw new UsageError("--answer-url and --disconnect-url are your app's; --bridge runs a bundled bridge that answers on its own URLs");
  if (o.bridge && cfg.realtime !== "stub") throw new UsageError("--bridge runs against the stub only");
  const stub = cfg.realtime === "stub" ? await startStub(o.bridge ? 0 : cfg.stubPort) : undefined;
  let bridge: BridgeProcess | undefined;
  const output: string[] = [];
  let exit: { code: number | null } | undefined;
  try {
    // After the stub is up, so a bridge that connects upstream when it starts finds it.
    const waitMs = o.waitForAppMs ?? 0;
    // Each URL the calls go to (the answer URL may be another server).
    const urls = [...new Set([app, cfg.direction !== "inbound" ? cfg.answerUrl : undefined].filter((u): u is string => u !== undefined))];
    for (const url of urls) await waitForApp(url, { waitMs, onWait: (reason) => o.onProgress?.({ kind: "waiting", appUrl: url, reason, waitMs }) });
    let config = cfg;
    if (o.bridge) {
      // A bundled bridge is configured like a production one: it requires callback credentials
      // (fresh per run) and takes the disconnect webhook, so those cases run instead of being skipped.
      const callbackCreds = { username: "bwemu", password: randomBytes(12).toString("hex") };
      bridge = await spawnBridge({
        realtimeUrl: stub!.url,
        fault: o.bridge === "reference" ? undefined : o.bridge,
        env: { QUIET: "1", GREETING: "1", WEBHOOK_USERNAME: callbackCreds.username, WEBHOOK_PASSWORD: callbackCreds.password },
        onLine: (l) => {
          output.push(l);
          if (output.length > 400) output.shift();
        },
      });
      void bridge.exited.then((e) => (exit = e));
      config = { ...cfg, callbackCreds, statusUrl: bridge.url.replace(/\/voice$/, "/status") };
    }
    const appUrl = app ?? bridge!.url;
    const answerUrl = cfg.direction !== "inbound" && config.answerUrl && config.answerUrl !== appUrl ? config.answerUrl : undefined;
    o.onProgress?.({ kind: "ready", stubUrl: stub?.url, appUrl, ...(answerUrl ? { answerUrl } : {}) });
    const outcome = await runConformance({ config, appUrl, stub, label: o.bridge ? `bundled bridge: ${o.bridge}` : undefined, onProgress: o.onProgress, shard: o.shard });
    if (exit) outcome.result.harness.warnings.push(`the bridge process exited during the run (code ${exit.code})`);
    const reports = await writeReports(outcome.result, { outDir: cfg.out, reporters: cfg.reporters });
    if (o.shard || o.blob) reports.push({ reporter: "blob", path: await writeBlob(cfg.out, buildBlob(outcome, config, sharedScheduler("realtime").encodedLateness())) });
    return { ...outcome, reports, bridgeOutput: bridge ? output : undefined };
  } finally {
    await bridge?.close();
    await stub?.close();
  }
}

/** The run's stub; a port already taken (often a `bwemu stub` still running) is the user's to fix. */
async function startStub(port: number) {
  try {
    return await startRealtimeStubForRun({ ...RUN_STUB_OPTIONS, port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`--stub-port ${port}: the port is in use (a \`bwemu stub\` still running? stop it, or give another --stub-port and point your bridge there)`);
    if (code === "EACCES") throw new UsageError(`--stub-port ${port}: not allowed to listen there (EACCES)`);
    throw e;
  }
}
