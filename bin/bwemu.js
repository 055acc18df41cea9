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
  const entry = new URL("../dist/src/cli/main.js", import.meta.url);
  const { main } = await import(entry.href).catch((e) => {
    // A clone installed with --ignore-scripts has no build; the published package always has one.
    if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes(entry.pathname)) throw e;
    process.stderr.write("bwemu: the compiled CLI (dist/) is missing: run `npm run build` in this clone\n");
    process.exit(3);
  });
  process.exitCode = await main(argv);
}
