// `bwemu test --direction` as a user types it: the catalogue per verdict, and every misuse a located
// usage error (exit 2, no stack trace). The real CLI in a child process; no call is placed.
import { describe, expect, it } from "vitest";
import { hasStackTrace, runCli } from "../support/cli.js";

describe("bwemu test --direction", () => {
  it("--list --direction both lists each case's inbound and outbound verdict; one direction lists the catalogue as before", async () => {
    const both = await runCli(["test", "--list", "--cases", "answer.http.*", "--direction", "both"]);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout.split("\n").filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual([
      "answer.http.content-type",
      "answer.http.content-type@outbound",
      "answer.http.status",
      "answer.http.status@outbound",
    ]);
    const one = await runCli(["test", "--list", "--cases", "answer.http.*", "--direction", "outbound"]);
    expect(one.stdout.split("\n").filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(["answer.http.content-type", "answer.http.status"]);
  }, 60_000);

  it("names every misuse: an unknown direction, outbound URLs on an inbound run, a bundled bridge with the app's URLs, no URL at all", async () => {
    const cases: [string[], RegExp][] = [
      [["--bridge", "reference", "--direction", "sideways"], /direction \(--direction\): expected one of inbound, outbound, both, got "sideways"/],
      [["--app", "http://127.0.0.1:9/voice", "--answer-url", "http://127.0.0.1:9/answer"], /--answer-url is for outbound calls: add --direction outbound \(or both\)/],
      [["--app", "http://127.0.0.1:9/voice", "--direction", "both", "--disconnect-url", "nope"], /--disconnect-url: not a URL: nope/],
      [["--bridge", "reference", "--direction", "both", "--answer-url", "http://127.0.0.1:9/answer"], /--answer-url and --disconnect-url are your app's/],
      [["--direction", "outbound"], /give the app's answer URL with --answer-url \(or --app\)/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(["test", ...args, "--out", "/tmp/bwemu-direction-cli"])));
    cases.forEach(([args, message], i) => {
      const r = runs[i];
      expect(r.code, `${args.join(" ")}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(hasStackTrace(r), r.stderr).toBe(false);
    });
  }, 90_000);
});
