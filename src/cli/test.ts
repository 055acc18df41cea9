// `bwemu test`: the conformance suite against a bridge.
import { loadCases, selectCases } from "../../suites/runner.js";
import { loadConfigFile, resolveConfig, type BwemuConfig } from "../config.js";
import { runTest } from "../run/index.js";
import type { ReporterName } from "../../reports/model.js";
import { checkBridgeName } from "./bridges.js";
import { colorsFor } from "./colors.js";
import { EXIT, UsageError } from "./exit.js";
import { checkReadable, checkWritableDir } from "./files.js";
import { parseDuration, parseInt10 } from "./parse.js";
import { printSummary, progressPrinter } from "./summary.js";
import { BLOB_REPORTER } from "../run/blob.js";
import { parseShard, planShards } from "../run/shard.js";

export interface TestFlags {
  app?: string;
  waitForApp?: string;
  bridge?: string;
  realtime?: string;
  stubPort?: string;
  cases?: string[];
  exclude?: string[];
  strict?: boolean;
  repeat?: string;
  baseline?: string;
  reporter?: string[];
  out?: string;
  callbackUser?: string;
  statusUrl?: string;
  config?: string;
  list?: boolean;
  verbose?: boolean;
  callerStartsAt?: string;
  shard?: string;
}

export async function runTestCommand(opts: TestFlags): Promise<number> {
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  if (opts.list) {
    const { selected } = selectCases(await loadCases(), opts.cases, opts.exclude);
    // With --shard: the cases that shard judges (the same plan every shard computes).
    const part = shard && planShards(selected, shard.total)[shard.index - 1];
    for (const c of selected) if (!part || part.cases.includes(c.id)) process.stdout.write(`${c.id.padEnd(38)} ${c.level.padEnd(6)} ${c.title}\n`);
    return EXIT.OK;
  }
  const file = await loadConfigFile(opts.config);
  // The blob is not a report of a run result: it is written beside them. A shard writes only its
  // blob unless reporters were asked for (per-shard reports are partial: the merge writes the real ones).
  const blob = !!shard || !!opts.reporter?.includes(BLOB_REPORTER);
  const reporters = opts.reporter?.filter((r) => r !== BLOB_REPORTER) ?? (shard && !file.reporters ? [] : undefined);
  const flags: BwemuConfig = {
    app: opts.app,
    realtime: opts.realtime,
    stubPort: opts.stubPort === undefined ? undefined : parseInt10(opts.stubPort, "--stub-port", 0, 65535),
    cases: opts.cases,
    exclude: opts.exclude,
    strict: opts.strict,
    repeat: opts.repeat === undefined ? undefined : parseInt10(opts.repeat, "--repeat", 1, 1000),
    baseline: opts.baseline,
    reporters: reporters as ReporterName[] | undefined,
    out: opts.out,
    callbackUser: opts.callbackUser,
    statusUrl: opts.statusUrl,
    verbose: opts.verbose,
    callerStartsAt: opts.callerStartsAt,
  };
  const config = resolveConfig(file, flags);
  if (opts.bridge !== undefined) await checkBridgeName(opts.bridge, { passthrough: false });
  if (opts.waitForApp !== undefined && !config.app) throw new UsageError("--wait-for-app needs --app (a bundled bridge is waited for anyway)");
  const waitForAppMs = opts.waitForApp === undefined ? 0 : parseDuration(opts.waitForApp, "--wait-for-app");
  if (config.baseline) await checkReadable(config.baseline, "--baseline");
  await checkWritableDir(config.out, "--out");
  const colors = colorsFor(process.stdout);
  const outcome = await runTest({
    config,
    bridge: opts.bridge,
    waitForAppMs,
    shard,
    blob,
    onProgress: progressPrinter(process.stdout, { starts: !!process.stdout.isTTY || config.verbose, colors }),
  });
  printSummary(process.stdout, outcome, { colors });
  return outcome.exitCode;
}
