// What a test opens (stubs, bridges, processes, browser contexts) is closed after it, pass or fail.

import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach } from "vitest";

type Closer = <T extends { close(): unknown }>(x: T) => T;

function closer(after: (fn: () => Promise<void>) => void): Closer {
  const open: { close(): unknown }[] = [];
  after(async () => {
    for (const x of open.splice(0).reverse()) await x.close();
  });
  return (x) => {
    open.push(x);
    return x;
  };
}

/**
 * Registers an afterEach that closes, last first, everything the returned function was handed during
 * the test, so a failing test leaves nothing running.
 */
export const closeAfterEach = (): Closer => closer(afterEach);

/** The same for what a file's or a describe's beforeAll opens: closed, last first, after all its tests. */
export const closeAfterAll = (): Closer => closer(afterAll);

/** A fresh folder under the system's temporary one, removed with its contents after the file's or describe's tests. */
export function scratchDirAfterAll(name: string): string {
  const path = mkdtempSync(join(tmpdir(), `bwemu-${name}-`));
  afterAll(() => rm(path, { recursive: true, force: true }));
  return path;
}
