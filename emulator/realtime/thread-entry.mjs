// Worker bootstrap for startRealtimeStubThread (thread.ts): the stub is TypeScript, and a worker
// does not inherit a test runner's transform, so tsx is registered here before loading it.
import { register } from "tsx/esm/api";

register();
await import("./thread-worker.ts");
