// What a test opens (stubs, bridges, processes, browser contexts) is closed after it, pass or fail.

import { mkdtemp, rm } from "node:fs/promises";
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

/** A fresh folder under the system's temporary one; hand it to a closer to have it removed with its contents. */
export async function scratchDir(name: string): Promise<{ path: string; close(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `bwemu-${name}-`));
  return { path, close: () => rm(path, { recursive: true, force: true }) };
}
