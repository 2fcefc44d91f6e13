import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonReportText } from "../../app/report/json-report.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import { advised, operatorEnv, reviewedRepoAndServer } from "./helpers.ts";

const setting = reviewedRepoAndServer();
const KEY = "sk-operator-key-9f8e7d6c5b4a3f2e1d0c";
const GATEWAY = "gateway-secret-0a1b2c3d4e5f6a7b";

type Seen = { path: string; headers: IncomingMessage["headers"]; body: string };

/** A server on the loopback interface that records what it received and answers with `handle`. */
async function server(handle: (request: Seen, response: ServerResponse) => void): Promise<{
  url: string;
  seen: Seen[];
  close: () => Promise<void>;
}> {
  const seen: Seen[] = [];
  const http: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const received = {
      path: request.url ?? "",
      headers: request.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(received);
    handle(received, response);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

const elsewhere = { url: "", seen: [] as Seen[], close: async () => {} };
beforeAll(async () => {
  Object.assign(elsewhere, await server((_, response) => response.end("{}")));
});
afterAll(() => elsewhere.close());

const env = (baseUrl: string) =>
  operatorEnv(setting.server, {
    OPENAI_BASE_URL: `${baseUrl}/v1`,
    OPENAI_API_KEY: KEY,
    GREENOPS_AI_HEADERS: JSON.stringify({ "api-key": GATEWAY }),
  });

describe("the operator's AI key and headers", () => {
  // The operator's endpoint (or whoever answers at its address) sends the request on to another host.
  it.each([302, 307])("are not sent on when the endpoint redirects (%i)", async (status) => {
    const endpoint = await server((request, response) => {
      response.writeHead(status, { location: `${elsewhere.url}${request.path}` }).end();
    });
    try {
      const report = await advised(setting.checked, true, env(endpoint.url));
      expect(endpoint.seen.length).toBeGreaterThan(0);
      expect(elsewhere.seen).toEqual([]);
      expect(report.ai?.skipped).toBe("the model endpoint could not be reached (unexpected redirect)");
    } finally {
      await endpoint.close();
    }
  });

  // A gateway's error that repeats what it was sent: the report must not repeat it.
  it.each<[string, number, (request: Seen) => string]>([
    [
      "a refused key",
      401,
      (r) => `Invalid proxy server token passed. Received API Key = ${String(r.headers.authorization)}`,
    ],
    [
      "a refused header",
      403,
      (r) => `api-key ${String(r.headers["api-key"])} is not allowed on this deployment`,
    ],
    ["a server error", 500, (r) => `upstream failed for key ${String(r.headers.authorization).slice(7)}`],
  ])(
    "are not repeated in the report when the endpoint's error repeats them (%s)",
    async (_, status, message) => {
      const endpoint = await server((request, response) => {
        response
          .writeHead(status, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: message(request), type: "auth_error", code: null } }));
      });
      try {
        const report = await advised(setting.checked, true, env(endpoint.url));
        expect(endpoint.seen.length).toBeGreaterThan(0);
        expect(report.ai?.skipped).toMatch(
          new RegExp(`^the model endpoint answered ${status}: .*\\[redacted\\]`),
        );
        for (const text of [markdownReport(report), jsonReportText(report)]) {
          expect(text).not.toContain(KEY);
          expect(text).not.toContain(GATEWAY);
        }
      } finally {
        await endpoint.close();
      }
    },
  );
});
