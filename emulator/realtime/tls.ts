// A throw-away test CA and a server certificate for the stub (spec §2.5, §13 "Serve wss (TLS) as well as
// ws; support being reached as api.openai.com through DNS redirection with a test CA"). The keys are
// public: never trust this CA outside tests. SANs: localhost, api.openai.com, 127.0.0.1, ::1.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("./tls/", import.meta.url));

export interface StubTls {
  cert: string;
  key: string;
  /** The CA to trust in clients (`ca` option of ws/https, or NODE_EXTRA_CA_CERTS=<caPath>). */
  ca: string;
  caPath: string;
}

export function testTls(): StubTls {
  return {
    cert: readFileSync(dir + "stub.pem", "utf8"),
    key: readFileSync(dir + "stub.key", "utf8"),
    ca: readFileSync(dir + "ca.pem", "utf8"),
    caPath: dir + "ca.pem",
  };
}
