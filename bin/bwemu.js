#!/usr/bin/env node
// The installed CLI: the compiled code in this process (no child, no tsx), so signals and the exit
// code are this process's own. `--version` answers from package.json before anything else loads;
// the V8 compile cache (Node ≥ 22.1) makes every later start faster.
import { readFileSync } from "node:fs";
import module from "node:module";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version + "\n");
} else {
  module.enableCompileCache?.();
  const { main } = await import("../dist/src/cli/main.js");
  process.exitCode = await main(argv);
}
