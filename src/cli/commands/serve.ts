// `bwemu serve`: flags and help. The command's code (../serve.ts) loads when it runs.
import type { Command } from "commander";
import { lazyAction } from "./lazy.js";

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command): void {
  program
    .command("serve")
    .description("run a carrier that stays up: the Voice REST API, a control API under /_bwemu/ and a live page, until interrupted")
    .option("--port <n>", "port of the Voice API, control API and live page (0 = any free port; default 4010)")
    .option("--host <addr>", "address to bind (default 127.0.0.1; 0.0.0.0 in a container)")
    .option("--account-id <id>", "account id in the Voice API's paths (default 9900000)")
    .option("--application-id <id>", "application id createCall expects")
    .option("--callback-user <user>", "CallbackCreds user sent with initiate/disconnect (password: env BWEMU_CALLBACK_PASSWORD)")
    .option("--api-user <user>", "Voice API Basic user the app must send (password: env BWEMU_API_PASSWORD; unset: any credentials pass)")
    .option("--status-url <url>", "CallStatusCallbackUrl: where inbound calls send their disconnect webhook")
    .option("--realtime <stub|none|url>", "the Realtime side: `stub` (on --stub-port, default), `none`, or the ws(s) URL your bridge uses")
    .option("--stub-port <n>", "port of the Realtime stub (default 4020)")
    .option("--max-calls <n>", "calls kept in memory; the oldest ended ones are dropped first (default 200)")
    .option("--allowed-host <name>", "a host name answered besides loopback ones (repeatable; e.g. a docker-compose service)", collect)
    .option("--config <file>", "config file (default: bwemu.config.ts/.mjs/.js in the current directory); its `serve` section")
    .option("--quiet", "print the ready line only, no line per call")
    .addHelpText(
      "after",
      "\nWhen it listens, the first line on stdout is one JSON object:\n" +
        '  {"event":"ready","url":"http://127.0.0.1:4010","apiBaseUrl":"http://127.0.0.1:4010/api/v2","health":"http://127.0.0.1:4010/_bwemu/health",…}\n' +
        "Point your app's bandwidth-sdk client at apiBaseUrl; open url for the live page; GET /_bwemu/health lists the control routes.\n" +
        "Control API (JSON): POST /_bwemu/calls {appUrl, audio: hello|order|cancel|long, dtmf} starts an inbound call;\n" +
        "POST /_bwemu/calls/:id/dtmf|audio|hangup|faults; GET /_bwemu/calls/:id/timeline|events|bxml/:n|files/:name.wav|report.html.\n" +
        "Environment (flags win, then these, then the config file): BWEMU_SERVE_PORT, BWEMU_SERVE_HOST, BWEMU_ACCOUNT_ID,\n" +
        "BWEMU_APPLICATION_ID, BWEMU_CALLBACK_USER, BWEMU_CALLBACK_PASSWORD, BWEMU_API_USER, BWEMU_API_PASSWORD, BWEMU_STATUS_URL,\n" +
        "BWEMU_REALTIME, BWEMU_STUB_PORT, BWEMU_MAX_CALLS, BWEMU_ALLOWED_HOSTS (comma-separated).\n" +
        "SIGINT or SIGTERM ends live calls like a carrier (streams stopped, disconnect webhooks sent), then exits 0.\n" +
        "Exit codes: 0 stopped by a signal, 2 usage error (bad flag or config, port in use).\n" +
        "Examples:\n  bwemu serve                                   # http://127.0.0.1:4010, stub on ws://127.0.0.1:4020/v1/realtime\n" +
        "  bwemu serve --port 0 --realtime none | head -1 | jq -r .url\n" +
        "  bwemu wait --url http://127.0.0.1:4010 --timeout 30s && curl -s -X POST -H 'content-type: application/json' \\\n" +
        "    -d '{\"appUrl\":\"http://127.0.0.1:3000/voice\",\"audio\":\"hello\"}' http://127.0.0.1:4010/_bwemu/calls",
    )
    .action(lazyAction(async () => (await import("../serve.js")).runServe));
}
