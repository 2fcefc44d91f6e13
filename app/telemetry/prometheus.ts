import { get, type HttpEndpoint, TelemetryError } from "./http.ts";

export type Labels = Record<string, string>;
export type Sample = { labels: Labels; value: number };
export type Series = { labels: Labels; points: { at: number; value: number }[] };

/**
 * A client of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), also served by
 * Thanos, Mimir, Cortex and VictoriaMetrics. Counts the queries it sends (the benchmark reports it).
 */
export class PrometheusClient {
  readonly endpoint: HttpEndpoint;
  queries = 0;

  constructor(endpoint: HttpEndpoint) {
    this.endpoint = endpoint;
  }

  /** An instant query at `time` (Unix seconds): one sample per series. */
  async instant(query: string, time: number): Promise<Sample[]> {
    const data = await this.call("/api/v1/query", { query, time: String(time) }, "vector");
    return data.map((item) => ({ labels: item.metric, value: numberOf(item.value) }));
  }

  /** A range query from `start` to `end` every `step` seconds: a series of points per series. */
  async range(query: string, start: number, end: number, step: number): Promise<Series[]> {
    const params = { query, start: String(start), end: String(end), step: String(step) };
    const data = await this.call("/api/v1/query_range", params, "matrix");
    return data.map((item) => ({
      labels: item.metric,
      points: (item.values ?? []).map((pair) => ({ at: Number(pair[0]), value: numberOf(pair) })),
    }));
  }

  private async call(path: string, params: Record<string, string>, type: string): Promise<ResultItem[]> {
    this.queries++;
    const response = await get(this.endpoint, "prometheus", path, params);
    const body = parseBody(response.body);
    if (body?.status === "error")
      throw new TelemetryError("http", `${body.errorType ?? "error"}: ${body.error ?? "no message"}`);
    if (response.status !== 200) throw new TelemetryError("http", `HTTP ${response.status}`);
    if (body?.status !== "success" || body.data?.resultType !== type || !Array.isArray(body.data.result))
      throw new TelemetryError("invalid", `not a Prometheus ${type} answer`);
    return body.data.result;
  }
}

type ResultItem = { metric: Labels; value?: [number, string]; values?: [number, string][] };
type Body = {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: ResultItem[] };
};

function parseBody(text: string): Body | undefined {
  try {
    return JSON.parse(text) as Body;
  } catch {
    return undefined;
  }
}

/** Prometheus writes sample values as strings ("NaN", "+Inf" included). */
function numberOf(pair: [number, string] | undefined): number {
  return pair ? Number(pair[1]) : Number.NaN;
}
