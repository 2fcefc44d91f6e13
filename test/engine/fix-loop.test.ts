import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFixes } from "../../app/engine/apply-fixes.ts";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import { type Finding, findingKey } from "../../app/engine/finding.ts";
import type { CheckedReview } from "../../app/engine/types.ts";
import { findingOn } from "../github/findings.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** The fix loop (apply-fixes.ts) on a real estimate: passes, each fix judged alone, lines as read. */

const FILE = "k8s/shop.yaml";
const SHOP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:2.4.1
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          resources:
            requests: { cpu: 100m, memory: 128Mi }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: { app: worker }
  template:
    metadata:
      labels: { app: worker }
    spec:
      containers:
        - name: worker
          image: ghcr.io/example/worker:2.4.1
          resources:
            requests: { cpu: 250m, memory: 256Mi }
`;

const CONTAINER_POLICIES = ["requests-required", "limits-ratio"];
const accept = (finding: Finding) => CONTAINER_POLICIES.includes(finding.policy);

let repo: TempRepo;
let checked: CheckedReview;

beforeAll(async () => {
  repo = tempRepo();
  repo.write(FILE, SHOP);
  checked = await checkedEstimate(repo.root);
});
afterAll(() => repo.dispose());

const first = () => checked.report.findings.filter(accept);

/** A safe fix replacing `needle` (it occurs once) with `text`, as a policy of this test would report it. */
function replacing(policy: string, needle: string, text: string): Finding {
  return findingOn(FILE, SHOP, needle, { policy, severity: "warning", message: policy, replacement: text });
}

describe("the fix loop", () => {
  it("tells findings of one policy apart by their subject", () => {
    expect(first().map((f) => [f.policy, f.subject])).toEqual([
      ["requests-required", "container/api"],
      ["limits-ratio", "container/proxy/memory"],
      ["limits-ratio", "container/worker/memory"],
    ]);
    expect(new Set(first().map(findingKey)).size).toBe(3);
  });

  it("one pass without `accept`: a new finding of the same policy on another container is not a failure", async () => {
    const result = await applyFixes(first(), checked);
    expect(result.applied.map((f) => f.subject)).toEqual([
      "container/api",
      "container/proxy/memory",
      "container/worker/memory",
    ]);
    expect(result.skipped).toEqual([]);
    expect(result.files[0]?.text).toContain(
      "          image: ghcr.io/example/api:2.4.1\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n        - name: proxy",
    );
  });

  it("with `accept`, passes until nothing is left: the requests, then the memory limit they call for", async () => {
    const result = await applyFixes(first(), checked, { accept });
    expect(result.applied.map((f) => `${f.location.startLine} ${f.policy} ${f.subject}`)).toEqual([
      "15 requests-required container/api",
      "20 limits-ratio container/proxy/memory",
      "39 limits-ratio container/worker/memory",
      // found in the second pass, on a line the first pass inserted: said at the line it was inserted after
      "16 limits-ratio container/api/memory",
    ]);
    expect(result.files[0]?.text).toContain(
      "              memory: 128Mi\n            limits:\n              memory: 128Mi\n        - name: proxy",
    );
    const after = await checked.verify(new Map(result.files.map((file) => [file.path, file.text])));
    expect(after.findings.filter(accept)).toEqual([]);
  });

  it("stops after maxPasses", async () => {
    const result = await applyFixes(first(), checked, { accept, maxPasses: 1 });
    expect(result.applied).toHaveLength(3);
  });

  it("drops a fix that fails its check alone, with its reason, and keeps the others of the file", async () => {
    const broken = replacing("faulty", "replicas: 1", 'replicas: "1"');
    const result = await applyFixes([...first(), broken], checked, { accept });
    expect(result.skipped).toEqual([
      {
        finding: broken,
        reason:
          "the fixed file would not be valid: Deployment /spec/replicas must be integer (Kubernetes schema) (line 28)",
      },
    ]);
    expect(result.applied.map((f) => f.subject)).toEqual([
      "container/api",
      "container/proxy/memory",
      "container/worker/memory",
      "container/api/memory",
    ]);
    expect(result.files[0]?.text).toContain("  replicas: 1\n");
  });

  it("drops a fix whose own finding is still reported, and only that one", async () => {
    const api = first()[0] as Finding;
    const useless = { ...api, fix: replacing("x", "replicas: 2", "replicas: 3").fix } as Finding;
    const worker = first()[2] as Finding;
    const result = await applyFixes([useless, worker], checked);
    expect(result.skipped.map((s) => [s.finding.subject, s.reason])).toEqual([
      [
        "container/api",
        'after the fix, requests-required still reports: container "api" requests no cpu or memory',
      ],
    ]);
    expect(result.applied).toEqual([worker]);
  });

  it("when two fixes break a file only together, applies one and leaves the other for the next pass", async () => {
    const worker = "  name: worker\n  namespace: shop\n";
    const a = replacing("team-a", worker, `${worker}  labels: { team: a }\n`);
    const b = replacing("team-b", "spec:\n  replicas: 1", "  labels: { team: b }\nspec:\n  replicas: 1");
    const result = await applyFixes([a, b], checked);
    expect(result.applied).toEqual([a]);
    expect(result.skipped.map((s) => [s.finding.policy, s.reason])).toEqual([
      ["team-b", expect.stringMatching(/, with another fix of the file; run the fix again$/)],
    ]);
  });
});
