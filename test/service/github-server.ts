import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeGitHub } from "../github/fake-github/fake-github.ts";

export type GitHubServer = { host: string; latencyMs: number; close(): Promise<void> };

/**
 * The tests' fake GitHub served over HTTP on 127.0.0.1, for App processes started with
 * `GHE_HOST=<host> GHE_PROTOCOL=http` (REST under /api/v3, GraphQL at /api/graphql). `latencyMs` is
 * added to every answer, as a real GitHub's round trip would be.
 */
export async function serveGitHub(github: FakeGitHub, latencyMs = 0): Promise<GitHubServer> {
  const served: GitHubServer = { host: "", latencyMs, close: async () => undefined };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string") headers[name] = value;
    await new Promise((resolve) => setTimeout(resolve, served.latencyMs));
    const answer = await github.fetch(`http://${request.headers.host}${request.url}`, {
      method: request.method ?? "GET",
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks).toString("utf8") } : {}),
    });
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  served.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  served.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return served;
}
