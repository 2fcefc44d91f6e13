import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ModelClient } from "../../app/ai/client.ts";
import { type AiProvider, providerFromEnv } from "../../app/ai/provider.ts";
import { Metrics } from "../../app/service/metrics.ts";
import { get } from "../../app/telemetry/http.ts";
import { operatorEnv } from "../ai/helpers.ts";
import { FakeOpenAI } from "../ai/openai-server.ts";
import { moreCpu, opened, openPull } from "../github/fixture.ts";
import { type Harness, harness } from "../github/harness.ts";

let h: Harness | undefined;

afterEach(async () => {
  h?.github.assertClean();
  await h?.app.close();
  h = undefined;
});

/** One sample of the text format, e.g. `greenops_jobs{state="waiting"} 0`. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

describe("the App's metrics", () => {
  it("count webhooks, jobs by outcome, GitHub requests, the rate limit GitHub says is left, blob cache reads", async () => {
    h = await harness();
    await h.deliver("pull_request", opened(openPull(h.github, moreCpu())));
    const { contentType, body } = await h.app.metrics.text();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(body, "greenops_webhooks_received_total", 'event="pull_request.opened"')).toBe(1);
    expect(sample(body, "greenops_jobs_finished_total", 'kind="review",outcome="reviewed"')).toBe(1);
    expect(sample(body, "greenops_job_duration_seconds_count", 'kind="review"')).toBe(1);
    expect(sample(body, "greenops_jobs", 'state="waiting"')).toBe(0);
    expect(sample(body, "greenops_jobs", 'state="running"')).toBe(0);
    expect(
      sample(body, "greenops_github_requests_total", 'method="POST",status="201"'),
    ).toBeGreaterThanOrEqual(2);
    const core = h.github.calls().filter((c) => c.template !== "/graphql").length;
    expect(sample(body, "greenops_github_rate_limit_remaining", 'installation="1",resource="core"')).toBe(
      5000 - core - 1, // the token exchange counts too
    );
    expect(sample(body, "greenops_outbound_requests_total", 'service="github",outcome="ok"')).toBeGreaterThan(
      4,
    );
    expect(sample(body, "greenops_blob_cache_reads_total", 'outcome="miss"')).toBe(h.github.blobReads.length);
    expect(sample(body, "greenops_blob_cache_reads_total", 'outcome="hit"')).toBe(0);
    expect(body).toMatch(/^greenops_blob_cache_bytes [1-9]\d{4,}$/m);
  });

  it("count Prometheus requests and their errors through the clients' hook", async () => {
    const metrics = new Metrics();
    let status = 200;
    const server = createServer((_request, response) => response.writeHead(status).end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const endpoint = {
      url,
      headers: {},
      timeoutMs: 2000,
      retries: 0,
      tls: { rejectUnauthorized: true },
      secrets: [],
    };
    try {
      await get(endpoint, "prometheus", "/api/v1/query", { query: "up" });
      status = 400;
      await get(endpoint, "prometheus", "/api/v1/query", { query: "up{" });
      const { body } = await metrics.text();
      expect(sample(body, "greenops_outbound_requests_total", 'service="prometheus",outcome="ok"')).toBe(1);
      expect(sample(body, "greenops_outbound_requests_total", 'service="prometheus",outcome="error"')).toBe(
        1,
      );
    } finally {
      metrics.close();
      server.close();
    }
  });

  it("count the AI advisor's requests and its errors (a 500 retried once, then given up)", async () => {
    const metrics = new Metrics();
    const server = await new FakeOpenAI().start();
    try {
      const client = new ModelClient(providerFromEnv(operatorEnv(server)) as AiProvider);
      await client.ask({ system: "Summarize.", user: "figures", maxOutputTokens: 50 });
      server.queue.push({ kind: "status", status: 500 }, { kind: "status", status: 500 });
      await expect(
        client.ask({ system: "Summarize.", user: "other", maxOutputTokens: 50 }),
      ).rejects.toThrow();
      const { body } = await metrics.text();
      expect(sample(body, "greenops_outbound_requests_total", 'service="ai",outcome="ok"')).toBe(1);
      expect(sample(body, "greenops_outbound_requests_total", 'service="ai",outcome="error"')).toBe(2);
    } finally {
      metrics.close();
      await server.close();
    }
  });
});
