import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { blobCacheBytes } from "../../app/github/app-env.ts";
import type { Octokit } from "../../app/github/octokit.ts";
import { BlobCache } from "../../app/github/read/blob-cache.ts";
import { type BlobContent, BlobStore } from "../../app/github/read/blobs.ts";
import type { TreeFile } from "../../app/github/read/trees.ts";
import { INSTALLATION_ID, OWNER, REPO } from "./fake-github/fake-github.ts";
import { blobId } from "./fake-github/git.ts";
import { harness } from "./harness.ts";

const repo = { owner: OWNER, repo: REPO };
const worker = (i: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker-${i}\n  namespace: shop\n`;
const byOid = (i: number): TreeFile => ({ path: `k8s/worker-${i}.yaml`, oid: blobId(worker(i)) });
const text = (i: number): BlobContent => ({ text: worker(i), truncated: false });

describe("the blob cache's bound", () => {
  it("holds: the least recently used go first", () => {
    const one = new BlobCache(1 << 20);
    one.of(INSTALLATION_ID, repo).set(byOid(0), text(0));
    // Three entries of this size fit, a fourth does not.
    const cache = new BlobCache(Math.floor(one.bytes * 3.5));
    const blobs = cache.of(INSTALLATION_ID, repo);
    for (const i of [0, 1, 2]) blobs.set(byOid(i), text(i));
    expect(blobs.get(byOid(0))).toEqual(text(0));
    blobs.set(byOid(3), text(3));
    expect([0, 1, 2, 3].map((i) => blobs.get(byOid(i)) !== undefined)).toEqual([true, false, true, true]);
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(one.bytes * 3);
    for (let i = 4; i < 50; i++) {
      blobs.set(byOid(i), text(i));
      expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    }
    expect([47, 48, 49].every((i) => blobs.get(byOid(i)) !== undefined)).toBe(true);
  });

  it("keeps nothing at 0, nor an entry larger than the bound", () => {
    for (const cache of [new BlobCache(0), new BlobCache(100)]) {
      cache.of(INSTALLATION_ID, repo).set(byOid(0), { text: "x".repeat(200), truncated: false });
      expect([cache.size, cache.bytes]).toEqual([0, 0]);
    }
  });

  it("counts a text by its UTF-8 bytes", () => {
    const cache = new BlobCache(1 << 20);
    const key = byOid(0).oid as string;
    cache.of(undefined, repo).set(byOid(0), { text: "é€😀", truncated: false });
    expect(cache.bytes).toBe(`- ${OWNER}/${REPO} ${key}`.length + 2 + 3 + 4);
  });
});

describe("GREENOPS_BLOB_CACHE_MB", () => {
  const MIB = 1024 * 1024;
  it.each<[string | undefined, number, boolean]>([
    [undefined, 64 * MIB, false],
    ["", 64 * MIB, false],
    ["256", 256 * MIB, false],
    [" 16 ", 16 * MIB, false],
    ["0", 0, false],
    ["64MB", 0, true],
    ["-1", 0, true],
    ["1.5", 0, true],
  ])("%j: %d bytes, an error logged: %s", (value, bytes, logged) => {
    const errors: string[] = [];
    const log = { error: (_: object, message: string) => errors.push(message) } as unknown as Probot["log"];
    expect(blobCacheBytes({ GREENOPS_BLOB_CACHE_MB: value }, log)).toBe(bytes);
    expect(errors).toEqual(
      logged ? ["GREENOPS_BLOB_CACHE_MB must be a whole number of MiB: the blob cache is off"] : [],
    );
  });
});

describe("what the blob cache keeps", () => {
  const sha = "a".repeat(40);
  it.each([
    ["a blob id", { path: "k8s/a.yaml", oid: blobId("a") }, true],
    ["a full commit SHA and a path", { path: "k8s/a.yaml", expression: `${sha}:k8s/a.yaml` }, true],
    ["a short SHA and a path", { path: "k8s/a.yaml", expression: `${sha.slice(0, 12)}:k8s/a.yaml` }, false],
    ["a branch and a path", { path: "k8s/a.yaml", expression: "main:k8s/a.yaml" }, false],
    ["a path alone", { path: "k8s/a.yaml" }, false],
  ])("a file read by %s: %s", (_, file: TreeFile, kept) => {
    const blobs = new BlobCache(1 << 20).of(INSTALLATION_ID, repo);
    blobs.set(file, { text: "kind: Namespace\n", truncated: false });
    expect(blobs.get(file) !== undefined).toBe(kept);
  });

  it.each<[string, BlobContent, boolean]>([
    ["text", { text: "kind: Namespace\n", truncated: false }, true],
    ["text read whole after GraphQL cut it", { text: "kind: Namespace\n", truncated: true }, true],
    ["a binary file", { skipped: "binary file; not read" }, true],
    ["a file GitHub did not find (it may be there on the next try)", { missing: true }, false],
  ])("%s", (_, content, kept) => {
    const blobs = new BlobCache(1 << 20).of(INSTALLATION_ID, repo);
    blobs.set(byOid(0), content);
    expect(blobs.get(byOid(0))).toEqual(kept ? content : undefined);
  });
});

describe("the blob cache between repositories", () => {
  // A blob id names the same content wherever git computes it; here the second repository holds other
  // content under the same id (a fake's collision), which only a cache shared across tenants would hide.
  it.each([
    ["another repository of the installation", INSTALLATION_ID, { owner: "octo-org", repo: "infra" }],
    ["the same name in another installation", INSTALLATION_ID + 1, repo],
  ])("%s reads its own content", async (_, installation, other) => {
    const file = byOid(1);
    const oid = file.oid as string;
    const first = await harness();
    const second = await harness();
    first.github.blobs.set(oid, worker(1));
    second.github.blobs.set(oid, worker(2));
    second.github.repository = other;
    const cache = new BlobCache(1 << 20);
    const read = async (h: typeof first, installationId: number, at: typeof repo) => {
      const octokit = (await h.probot.auth(installationId)) as Octokit;
      const store = new BlobStore(octokit, at, cache.of(installationId, at));
      await store.load([file]);
      return store.get(file);
    };
    expect(await read(first, INSTALLATION_ID, repo)).toEqual({ path: file.path, text: worker(1) });
    expect(await read(second, installation, other)).toEqual({ path: file.path, text: worker(2) });
    expect(await read(first, INSTALLATION_ID, repo)).toEqual({ path: file.path, text: worker(1) });
    expect([first.github.blobReads, second.github.blobReads]).toEqual([[oid], [oid]]);
    for (const h of [first, second]) h.github.assertClean();
  });
});

describe("a blob GraphQL cuts at 512,000 bytes", () => {
  it("stays truncated when a later run finds it in the cache, and is not read again", async () => {
    const h = await harness();
    const big = `${"# padding\n".repeat(60_000)}${worker(0)}`;
    const file = { path: "k8s/big.yaml", oid: blobId(big), size: Buffer.byteLength(big) };
    h.github.blobs.set(file.oid, big);
    const octokit = (await h.probot.auth(INSTALLATION_ID)) as Octokit;
    const cache = new BlobCache(1 << 20);
    for (const run of [1, 2]) {
      const store = new BlobStore(octokit, repo, cache.of(INSTALLATION_ID, repo));
      await store.load([file]);
      expect(store.get(file), `run ${run}`).toEqual({ path: file.path, text: big });
      expect(store.truncated(file), `run ${run}`).toBe(true);
    }
    expect(h.github.blobReads).toEqual([file.oid]);
    expect(h.github.calls().map((c) => c.template)).toEqual([
      "/graphql",
      "/repos/{owner}/{repo}/git/blobs/{file_sha}",
    ]);
    h.github.assertClean();
  });
});
