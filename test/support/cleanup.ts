// What a test opens (stubs, bridges, processes, browser contexts) is closed after it, pass or fail.

import { afterEach } from "vitest";

/**
 * Registers an afterEach that closes, last first, everything the returned function was handed during
 * the test, so a failing test leaves nothing running.
 */
export function closeAfterEach(): <T extends { close(): unknown }>(x: T) => T {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await x.close();
  });
  return (x) => {
    open.push(x);
    return x;
  };
}
