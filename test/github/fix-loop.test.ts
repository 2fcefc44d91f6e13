import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../app/engine/finding.ts";
import { expectGolden } from "../helpers/golden.ts";
import { findingOn } from "./findings.ts";
import { fixCommitPushed, opened, openPull } from "./fixture.ts";
import { checkJson, type Harness, harness } from "./harness.ts";
import { requestedActionPayload } from "./payloads.ts";

/**
 * Issue #10, item 1, through the App: Apply fixes commits every verified fix of a file, without the one
 * that fails its check, and the review of that commit offers nothing more. The engine's own fix loop
 * runs (no stand-in applier).
 */

let h: Harness;

afterEach(() => {
  h.github.assertClean();
});

const SEARCH = "environments/staging/shop/search.yaml";

/** Two new claims on gp2 (their gp3 fixes are safe) and a second workload, in one file. */
const SEARCH_TEXT = `# Search: the index, its snapshots and the UI, shipped together.
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: search
  namespace: shop
spec:
  serviceName: search
  replicas: 2
  selector:
    matchLabels: { app: search }
  template:
    metadata:
      labels: { app: search }
    spec:
      containers:
        - name: opensearch
          image: opensearchproject/opensearch:2.18.0
          resources:
            requests: { cpu: "1", memory: 4Gi }
            limits: { memory: 4Gi }
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: gp2 # copied from the 2021 chart
        resources:
          requests:
            storage: 100Gi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: search-snapshots
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: gp2
  resources:
    requests:
      storage: 200Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: search-ui
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: search-ui }
  template:
    metadata:
      labels: { app: search-ui }
    spec:
      containers:
        - name: ui
          image: ghcr.io/example/search-ui:1.4.0
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 128Mi }
`;

const UI_REPLICAS = "replicas: 2\n  selector:\n    matchLabels: { app: search-ui }";

const UI_REQUESTS = "requests: { cpu: 100m, memory: 128Mi }";

/**
 * Safe fixes that fail their check, as faulty policies would offer them: one breaks the Kubernetes
 * schema, the other is for the search StatefulSet but lowers the CPU of search-ui, another resource.
 */
function faultyFixes(text: string): Finding[] {
  if (!text.includes(UI_REPLICAS)) return [];
  const titled = (finding: Finding, title: string): Finding[] =>
    finding.fix ? [{ ...finding, fix: { ...finding.fix, title } }] : [];
  return [
    ...titled(
      findingOn(SEARCH, text, UI_REPLICAS, {
        policy: "replicas-example",
        severity: "warning",
        message: "search-ui runs 2 replicas",
        replacement: UI_REPLICAS.replace("replicas: 2", 'replicas: "2"'),
        resource: { id: "Deployment/shop/search-ui", environment: "staging" },
      }),
      FAULTY_TITLE,
    ),
    ...titled(
      findingOn(SEARCH, text, UI_REQUESTS, {
        policy: "cpu-example",
        severity: "warning",
        message: "search asks for more CPU than it uses",
        replacement: UI_REQUESTS.replace("100m", "50m"),
        resource: { id: "StatefulSet/shop/search", environment: "staging" },
      }),
      "Request 50m CPU",
    ),
  ];
}

const FAULTY_TITLE = "Write the replicas of search-ui as a string";

describe("Apply fixes with the engine's fix loop", () => {
  it("commits and suggests the fixes that pass their check, leaves out the one that fails, and the next review offers none", async () => {
    h = await harness({
      findings: (report) => [...report.findings, ...faultyFixes(currentSearch())],
    });
    h.github.permissions.set("maintainer", "write");
    const scenario = openPull(h.github, { [SEARCH]: SEARCH_TEXT });
    await h.deliver("pull_request", opened(scenario));
    const [reviewed] = h.github.checkRuns;
    expect(reviewed?.actions).toEqual([
      { label: "Apply fixes", description: "Commit 2 verified fixes", identifier: "fix" },
    ]);
    const failed =
      "its edit did not pass the check: the fixed file would not be valid: Deployment /spec/replicas must be integer (Kubernetes schema) (line 50); make it by hand";
    expect(reviewed?.output.summary).toContain(
      `2 fixes are left out:\n- \`${SEARCH}:50\` replicas-example: ${FAULTY_TITLE}: ${failed}\n` +
        `- \`${SEARCH}:61\` cpu-example: Request 50m CPU: its edit did not pass the check: it would also change the figures of Deployment/shop/search-ui in staging, which it is not for; make it by hand`,
    );
    expectGolden("github/failed-check-check.json", checkJson(h));
    expectGolden("github/failed-check-comment.md", h.github.comments[0]?.body ?? "");
    // the comment's Fix column says the same, with no saving
    const row = h.github.comments
      .flatMap((c) => c.body.split("\n"))
      .find((line) => line.includes("`replicas-example`"));
    expect(row).toContain(`| ${FAULTY_TITLE}: ${failed} |`);
    expect(row).not.toContain("/month");
    // nor is it suggested: a suggestion passes the same check
    const suggested = h.github.reviews.flatMap((r) =>
      r.comments.map((c) => /`([a-z-]+)`/.exec(String(c.body))?.[1]),
    );
    expect(suggested).toEqual(["storage-class", "storage-class", "nonprod-schedule"]);
    expect(h.github.reviews.flatMap((r) => r.comments.map((c) => String(c.body))).join()).not.toMatch(
      /example/,
    );

    await h.deliver(
      "check_run",
      requestedActionPayload({ number: 7, headSha: scenario.head, identifier: "fix", sender: "maintainer" }),
    );
    const fixed = h.github.branches.get("feature") as string;
    expect(h.github.commits.get(fixed)?.parents).toEqual([scenario.head]);
    expect(currentSearch()).toBe(
      SEARCH_TEXT.replace("storageClassName: gp2 # copied", "storageClassName: gp3 # copied").replace(
        "storageClassName: gp2\n",
        "storageClassName: gp3\n",
      ),
    );
    expect(h.github.commits.get(fixed)?.message).toContain(
      "- storage-class: Use StorageClass gp3 (environments/staging/shop/search.yaml:27)\n" +
        "- storage-class: Use StorageClass gp3 (environments/staging/shop/search.yaml:39)",
    );

    // GitHub then sends synchronize for the fix commit: reviewed again, nothing left to commit.
    await h.deliver("pull_request", fixCommitPushed(scenario, fixed));
    expect(h.github.checkRuns.at(-1)).toMatchObject({ head_sha: fixed, actions: [] });
    expect(h.github.branches.get("feature")).toBe(fixed);
  });
});

function currentSearch(): string {
  const head = h.github.headOf(7);
  const oid = h.github.commits.get(head)?.tree.get(SEARCH) ?? "";
  return h.github.blobs.get(oid) ?? "";
}
