/**
 * Local servers on 127.0.0.1 answering as OpenCost, Electricity Maps and the UK Carbon Intensity API
 * document it, with the recorded answers of test/fixtures/telemetry (see SOURCE.md there).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";

export type FakeApi = {
  url: string;
  requests: { path: string; query: URLSearchParams; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
};

export const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/telemetry/${name}`, import.meta.url), "utf8");

type Route = (
  query: URLSearchParams,
  headers: IncomingMessage["headers"],
  path: string,
) => { status: number; body: string };

export async function fakeApi(route: Route): Promise<FakeApi> {
  const requests: FakeApi["requests"] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push({ path: url.pathname, query: url.searchParams, headers: request.headers });
    const { status, body } = route(url.searchParams, request.headers, url.pathname);
    response.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const notFound = { status: 404, body: '{"message":"not found"}' };

/** OpenCost: `GET /allocation/compute` with a window and an aggregation. */
export function openCost(answer: string): Route {
  return (query, _headers, path) => {
    if (path !== "/allocation/compute") return notFound;
    if (!query.get("window"))
      return { status: 400, body: '{"code":400,"message":"Missing window parameter"}' };
    return { status: 200, body: answer };
  };
}

/** Electricity Maps v3: forecast (unless `noForecast`) and history, behind an `auth-token`. */
export function electricityMaps(token: string, noForecast = false): Route {
  return (query, headers, path) => {
    if (headers["auth-token"] !== token)
      return { status: 401, body: '{"message":"Invalid authentication credentials"}' };
    if (query.get("zone") !== "DE") return { status: 404, body: '{"message":"Zone not found"}' };
    if (path === "/v3/carbon-intensity/forecast" && !noForecast)
      return { status: 200, body: fixture("electricity-maps-forecast-DE.json") };
    if (path === "/v3/carbon-intensity/forecast")
      return { status: 403, body: '{"message":"Forbidden: not in your plan"}' };
    if (path === "/v3/carbon-intensity/history")
      return { status: 200, body: fixture("electricity-maps-history-DE.json") };
    return notFound;
  };
}

/** The UK Carbon Intensity API: `/intensity/{from}/fw24h` with `from` as YYYY-MM-DDThh:mmZ. */
export function ukCarbonIntensity(): Route {
  return (_query, _headers, path) => {
    const match = /^\/intensity\/([^/]+)\/fw24h$/.exec(path);
    if (!match) return notFound;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/.test(match[1] ?? ""))
      return {
        status: 400,
        body: '{"error":{"code":"400 Bad Request","message":"Please enter a valid ISO8601 date"}}',
      };
    return { status: 200, body: fixture("uk-intensity-fw24h.json") };
  };
}
