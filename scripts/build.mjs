#!/usr/bin/env node
// `npm run build`: the published package in dist/. A clean build every time, so a renamed or deleted
// source never ships as a stale .js (the case and bridge registries load every module in a folder).
// Then the run-time assets the compiled code reads beside itself, at the same relative paths.
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

/** Files of `dir` (relative to the root) that `keep` accepts, copied to dist/<dir>. */
function copy(dir, keep) {
  const from = join(root, dir);
  if (!existsSync(from)) return;
  for (const f of readdirSync(from)) if (keep(f)) cpSync(join(from, f), join(dist, dir, f));
}

// The caller speech and the stub's reply voice (README there); not the malformed and
// odd-format WAVs, which only the tests read.
copy("fixtures/audio", (f) => /\.(8k-mulaw|24k-pcm16)\.wav$|\.json$|^README\.md$/.test(f));
// The stub's test certificate for `bwemu stub --tls` and the CA to trust (README there); not the CA's
// key, which only re-issuing needs.
copy("emulator/realtime/tls", (f) => /^(stub\.(pem|key)|ca\.pem|README\.md)$/.test(f));
// The JSON Schema of results.json (`bwemu/schema`; read by reports/validate.ts).
copy("reports", (f) => f.endsWith(".schema.json"));
