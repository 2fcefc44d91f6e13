import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_SECRETS, resolveEndpoint } from "../../app/telemetry/endpoint.ts";
import { get } from "../../app/telemetry/http.ts";
import { OPERATOR } from "../../app/telemetry/trust.ts";

const path = (name: string) => new URL(`../fixtures/telemetry/${name}`, import.meta.url).pathname;
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer(
    { cert: readFileSync(path("tls-127.0.0.1.crt")), key: readFileSync(path("tls-127.0.0.1.key")) },
    (_request, response) => response.writeHead(200).end('{"status":"success"}'),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `https://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("TLS options", () => {
  it("trusts a private CA given as caFile", async () => {
    const endpoint = resolveEndpoint(
      { url, tls: { caFile: path("tls-127.0.0.1.crt") } },
      OPERATOR,
      PROCESS_SECRETS,
    );
    expect((await get(endpoint, "prometheus", "/")).status).toBe(200);
  });

  it("refuses an unknown certificate, and says why", async () => {
    const endpoint = resolveEndpoint({ url, retries: 0 }, OPERATOR, PROCESS_SECRETS);
    await expect(get(endpoint, "prometheus", "/")).rejects.toThrow(/^DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  it("skips verification only when told to", async () => {
    const endpoint = resolveEndpoint({ url, tls: { insecureSkipVerify: true } }, OPERATOR, PROCESS_SECRETS);
    expect((await get(endpoint, "prometheus", "/")).status).toBe(200);
  });
});
