// `bwemu test`: flags and help. The command's code (../test.ts) loads when it runs.
import type { Command } from "commander";
import { lazyAction } from "./lazy.js";

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(",").map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command("test")
    .description("run the conformance suite against a bridge")
    .option("--app <url>", "the app's initiate URL (CallInitiatedCallbackUrl); outbound calls' answerUrl too, unless --answer-url")
    .option("--wait-for-app <time>", "with --app (or --answer-url): wait up to this long for the app to accept connections (e.g. 30s)")
    .option("--bridge <name>", "run a bundled bridge instead: reference, or a faulty one (an unknown name lists them)")
    .option("--realtime <mode>", "your bridge's upstream: stub (default), live (or the live URL it connects to itself), or opaque (any other model, pipeline or bot)")
    .option("--stub-port <n>", "port of the stub your bridge connects to (default 4020 with --app or --answer-url)")
    .option("--cases <glob>", "only these case ids (repeatable, comma-separated)", list)
    .option("--exclude <glob>", "skip these case ids (repeatable, comma-separated)", list)
    .option("--strict", "SHOULD cases fail the run too")
    .option("--repeat <n>", "run every scenario N times and report flake rates")
    .option("--baseline <file>", "expected verdicts (JSON): CI fails only on change")
    .option("--reporter <names>", "html,json,junit,sarif,markdown,github,blob (default html,json,junit; with --shard: blob)", list)
    .option("--shard <i/n>", "run shard i of n (scenarios split by case dependency) and write its blob result for `bwemu merge-reports`")
    .option("--out <dir>", "where reports go (default bwemu-report)")
    .option("--callback-user <name>", "Basic user for webhooks (password from BWEMU_CALLBACK_PASSWORD)")
    .option("--status-url <url>", "where the disconnect webhook goes (CallStatusCallbackUrl)")
    .option("--direction <dir>", "inbound (default: initiate to --app), outbound (the carrier calls out as REST createCall would: answer to --answer-url), or both (every case judged on each; outbound verdicts are <case id>@outbound)")
    .option("--answer-url <url>", "outbound calls: createCall's answerUrl (default: --app, so one endpoint serves both directions)")
    .option("--disconnect-url <url>", "outbound calls: createCall's disconnectUrl (default: --status-url)")
    .option("--caller-starts-at <when>", "stream-start (default: the bridge receives the caller's whole script) or answer (on the call's clock from answer)")
    .option("--config <file>", "config file (default bwemu.config.ts, .mjs or .js if present)")
    .option("--list", "print the case catalogue and exit (with --direction both: each case's outbound verdict too; with --shard: that shard's)")
    .option("-v, --verbose", "on a terminal too: a line per scenario as it starts")
    .addHelpText(
      "after",
      "\nProgress: a line per finished scenario with counts ([done/total]), on a terminal or not.\n" +
        "Exit codes: 0 no failure at the failing level (or only the baseline's), 1 the bridge failed a case,\n" +
        "2 usage or config error (also: nothing answers at --app), 3 the harness itself failed.\n" +
        "Examples:\n  bwemu test --bridge reference --cases 'answer.*'          # try it: the bundled bridge\n" +
        "  bwemu test --app http://127.0.0.1:3000/voice --wait-for-app 30s   # your bridge → ws://127.0.0.1:4020/v1/realtime\n" +
        "  bwemu test --app http://127.0.0.1:3000/voice --baseline expected-failures.json --reporter junit,sarif\n" +
        "  bwemu test --app http://127.0.0.1:3000/voice --realtime opaque    # a bridge to another model: carrier-side cases only\n" +
        "  bwemu test --app http://127.0.0.1:3000/voice --direction both     # inbound and outbound calls: each case judged on both\n" +
        "  bwemu test --direction outbound --answer-url http://127.0.0.1:3000/answer --disconnect-url http://127.0.0.1:3000/status\n" +
        "  bwemu test --list --cases 'bargein.*'                     # the catalogue, no run\n" +
        "  bwemu test --app http://127.0.0.1:3000/voice --shard 2/3 --out blobs   # one CI job of three; then:\n" +
        "  bwemu merge-reports blobs --reporter html,json,junit       # one report, as a single run writes it",
    )
    .action(lazyAction(async () => (await import("../test.js")).runTestCommand));
}
