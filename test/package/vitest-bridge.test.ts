// examples/vitest-bridge from its own package boundary, importing bwemu as a user would: a scratch
// copy of the example outside this repository, bwemu unpacked there from the tarball `npm pack`
// makes (shared with package.test.ts), then the example's own `npm run typecheck` and `npm test`.
// Offline: the example's other dependencies (ws, vitest, typescript, the typings) and bwemu's are
// linked from this repository's node_modules, the versions `npm ci` installed, instead of fetched.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { NPM, packOnce, REPO, run } from "../support/pack.js";

const EXAMPLE = join(REPO, "examples/vitest-bridge");
let dir: string;
let project: string;

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  bin?: string | Record<string, string>;
}
const manifest = (path: string): Manifest => JSON.parse(readFileSync(join(path, "package.json"), "utf8")) as Manifest;

/** node_modules/<name> → this repository's copy (its own dependencies resolve from there). */
function link(name: string): void {
  const from = join(REPO, "node_modules", name);
  if (!existsSync(from)) throw new Error(`${name} is not installed in this repository (run npm ci)`);
  const at = join(project, "node_modules", name);
  mkdirSync(dirname(at), { recursive: true });
  if (!existsSync(at)) symlinkSync(from, at, "dir");
}

/** node_modules/.bin/<bin> of a linked package, as npm would make it. */
function linkBin(name: string): void {
  const bin = manifest(join(REPO, "node_modules", name)).bin;
  const entries = typeof bin === "string" ? { [name]: bin } : (bin ?? {});
  mkdirSync(join(project, "node_modules/.bin"), { recursive: true });
  for (const [cmd, rel] of Object.entries(entries)) symlinkSync(join("..", name, rel), join(project, "node_modules/.bin", cmd));
}

beforeAll(async () => {
  const pack = await packOnce();
  dir = mkdtempSync(join(tmpdir(), "bwemu-example-"));
  project = join(dir, "vitest-bridge");
  cpSync(EXAMPLE, project, { recursive: true, filter: (src) => !src.includes(`${"/"}node_modules`) });
  mkdirSync(join(project, "node_modules"));
  // bwemu from the tarball, as `npm install` would unpack it.
  const untar = await run("tar", ["-xzf", pack.tarball, "-C", join(project, "node_modules")], project);
  expect(untar.code, untar.stderr).toBe(0);
  renameSync(join(project, "node_modules/package"), join(project, "node_modules/bwemu"));
  const example = manifest(project);
  for (const name of Object.keys(manifest(join(project, "node_modules/bwemu")).dependencies ?? {})) link(name);
  for (const name of [...Object.keys(example.dependencies ?? {}), ...Object.keys(example.devDependencies ?? {})]) {
    if (name === "bwemu") continue;
    link(name);
    if (name === "vitest" || name === "typescript") linkBin(name);
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("type-checks against the installed bwemu (the matchers are typed on expect)", async () => {
  const r = await run(NPM, ["run", "--silent", "typecheck"], project, 120_000);
  expect(r.stdout + r.stderr).toBe("");
  expect(r.code).toBe(0);
});

it("its npm test passes: real calls to the bridge through bwemu/vitest", async () => {
  const r = await run(NPM, ["test"], project, 150_000);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/Tests\s+4 passed \(4\)/);
  // bwemu came from the scratch project's node_modules, not from this repository.
  expect(existsSync(join(project, "node_modules/bwemu/dist/src/vitest.js"))).toBe(true);
});
