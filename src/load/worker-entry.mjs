// Worker bootstrap for a load shard run from sources (pool.ts): a worker does not inherit a test
// runner's or tsx's transform, so tsx is registered here before loading the TypeScript shard.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
