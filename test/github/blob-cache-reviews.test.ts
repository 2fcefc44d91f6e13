import { describe, expect, it } from "vitest";
import { blobId } from "./fake-github/git.ts";
import {
  moreCpu,
  moreMillicores,
  opened,
  openPull,
  push,
  synchronize,
  withWorkers,
  workerPath,
} from "./fixture.ts";
import { type Harness, type HarnessOptions, harness } from "./harness.ts";
import { pullRequestPayload } from "./payloads.ts";

/** More manifests than one GraphQL query reads (500): the first review takes two blob queries. */
const files = withWorkers(600);

const graphqlReads = (h: Harness) =>
  h.github.calls().filter((c) => c.template === "/graphql" && !c.write).length;

/** A pull request changing worker 0, then a push changing worker 300: what GitHub sent for the push. */
async function pushReviewed(options: HarnessOptions = {}) {
  const h = await harness(options);
  const first = openPull(h.github, moreMillicores(files, workerPath(0)), 7, files);
  await h.deliver("pull_request", opened(first));
  const [reads, queries] = [h.github.blobReads.length, graphqlReads(h)];
  const changed = moreMillicores(files, workerPath(300));
  const second = push(h.github, first, changed);
  await h.deliver("pull_request", synchronize(second));
  h.github.assertClean();
  const shown = {
    checks: h.github.checkRuns.map((r) => [r.conclusion, r.output, r.annotations, r.actions]),
    comments: h.github.comments.map((c) => c.body),
    reviews: h.github.reviews.map((r) => [r.body, r.comments]),
  };
  return {
    blobs: h.github.blobReads.slice(reads),
    queries: graphqlReads(h) - queries,
    newBlob: blobId(changed[workerPath(300)] as string),
    base: first.base,
    shown,
  };
}

describe("a push to a pull request, with the blob cache", () => {
  it("reads only the blobs the push brought, and reports as a review without the cache", async () => {
    const cached = await pushReviewed();
    expect(cached.blobs).toEqual([cached.newBlob, `${cached.base}:${workerPath(300)}`]);
    expect(cached.queries).toBe(1);
    const uncached = await pushReviewed({ env: { GREENOPS_BLOB_CACHE_MB: "0" } });
    expect(uncached.blobs.length).toBeGreaterThan(600);
    expect(uncached.queries).toBe(2);
    expect(cached.shown.checks).toHaveLength(2);
    expect(cached.shown.comments).toHaveLength(1);
    expect(cached.shown).toEqual(uncached.shown);
  });

  it("reads no blob for a review of the same head again, only the pull request's state", async () => {
    const h = await harness();
    const scenario = openPull(h.github, moreCpu());
    await h.deliver("pull_request", opened(scenario));
    const [reads, queries] = [h.github.blobReads.length, graphqlReads(h)];
    await h.deliver("pull_request", pullRequestPayload("reopened", scenario.event));
    expect(h.github.blobReads.length - reads).toBe(0);
    expect(graphqlReads(h) - queries).toBe(1);
    expect(h.github.checkRuns[1]?.output).toEqual(h.github.checkRuns[0]?.output);
    h.github.assertClean();
  });
});
