// The emulated Voice REST API answers loopback hosts only (a web page cannot drive it by DNS
// rebinding or from another origin), and with credentials configured only they pass. The accepted
// path is the real `bandwidth-sdk` client; refusals are raw HTTP with the Host/Origin a browser sends.
import http from "node:http";
import { CallsApi, Configuration } from "bandwidth-sdk";
import { describe, expect, it } from "vitest";
import { carrier } from "../../emulator/call/test/harness.js";
import { hostName } from "../../emulator/api/gate.js";

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

/** A raw request: any Host and Origin, as a rebinding page or another tool would send them. */
function raw(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers, setHost: !("host" in headers) }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function api(settings: NonNullable<Parameters<typeof carrier>[0]>["settings"] = {}) {
  const c = carrier({ settings });
  const { apiBaseUrl } = await c.listen(0);
  return { c, apiBaseUrl, calls: `${apiBaseUrl}/accounts/${c.settings.accountId}/calls` };
}

const sdk = (basePath: string, username: string, password: string) => new CallsApi(new Configuration({ username, password, basePath }));

describe("Voice API: credentials configured", () => {
  const creds = { username: "api-user", password: "api-pass" };

  it("the real SDK with the configured credentials: 200, on 127.0.0.1 and on localhost", async () => {
    const { c, apiBaseUrl } = await api({ apiCredentials: creds });
    for (const base of [apiBaseUrl, apiBaseUrl.replace("127.0.0.1", "localhost")]) {
      const r = await sdk(base, creds.username, creds.password).listCalls(c.settings.accountId);
      expect(r.status).toBe(200);
      expect(r.data).toEqual([]);
    }
  });

  it("the real SDK with other credentials: 401", async () => {
    const { c, apiBaseUrl } = await api({ apiCredentials: creds });
    await expect(sdk(apiBaseUrl, "foo", "bar").listCalls(c.settings.accountId)).rejects.toMatchObject({ response: { status: 401 } });
  });

  it.each([
    ["no Authorization", {}],
    ["Basic foo:bar", { authorization: basic("foo", "bar") }],
    ["Bearer junk", { authorization: "Bearer junk" }],
    ["the right password as a prefix", { authorization: basic("api-user", "api-pass-and-more") }],
  ])("%s: 401 authentication-error", async (_name, headers: Record<string, string>) => {
    const { calls } = await api({ apiCredentials: creds });
    const r = await raw(calls, headers);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ type: "authentication-error" });
  });
});

describe("Voice API: no credentials configured (any credentials accepted, like LocalStack)", () => {
  it("the real SDK with any credentials: 200; no Authorization: 401", async () => {
    const { c, apiBaseUrl, calls } = await api();
    expect((await sdk(apiBaseUrl, "anyone", "anything").listCalls(c.settings.accountId)).status).toBe(200);
    expect((await raw(calls, { authorization: "Bearer junk" })).status).toBe(200);
    expect((await raw(calls, {})).status).toBe(401);
  });
});

describe("Voice API: Host and Origin (DNS rebinding)", () => {
  it.each([
    ["a rebinding name", { host: "attacker.example" }],
    ["a rebinding name with the port", { host: "attacker.example:4010" }],
    ["a public address", { host: "203.0.113.7" }],
    ["a name that starts like loopback", { host: "127.0.0.1.attacker.example" }],
    ["a malformed host", { host: "a b" }],
    ["a cross-site Origin", { origin: "http://attacker.example" }],
  ])("%s: 403 with a clear body, credentials or not", async (_name, extra: Record<string, string>) => {
    const { calls } = await api({ apiCredentials: { username: "u", password: "p" } });
    const port = new URL(calls).port;
    const r = await raw(calls, { host: `127.0.0.1:${port}`, authorization: basic("u", "p"), ...extra });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ type: "authorization-error", description: expect.stringMatching(/is not allowed/) });
    // The health endpoint is behind the same gate.
    expect((await raw(calls.replace(/\/api\/v2.*/, "/_bwemu/health"), { host: `127.0.0.1:${port}`, ...extra })).status).toBe(403);
  });

  it.each([["localhost"], ["LOCALHOST."], ["127.9.9.9"], ["[::1]"], ["app.localhost"]])("loopback host %s passes", async (host) => {
    const { calls } = await api();
    const port = new URL(calls).port;
    expect((await raw(calls, { host: `${host}:${port}`, authorization: "Bearer x", origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it("a configured host passes (a bridge in a container calling the API by service name)", async () => {
    const { calls } = await api({ apiAllowedHosts: ["bwemu.internal"] });
    expect((await raw(calls, { host: "bwemu.internal:4010", authorization: "Bearer x" })).status).toBe(200);
    expect((await raw(calls, { host: "other.internal:4010", authorization: "Bearer x" })).status).toBe(403);
  });

  it("hostName parses what a Host header can hold", () => {
    expect(hostName("[::1]:80")).toBe("::1");
    expect(hostName("Example.COM.:8080")).toBe("example.com");
    expect(hostName("a@b")).toBeUndefined();
    expect(hostName(undefined)).toBeUndefined();
  });
});
