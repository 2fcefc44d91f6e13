import { afterEach, describe, expect, it } from "vitest";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import { scanCandidates } from "../../app/scan/select.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

const deployment = (name: string, cpu: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop-dev }
spec:
  replicas: 4
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/example/${name}:1.4.2
          resources:
            requests: { cpu: ${cpu}, memory: 512Mi }
`;

const DEV = {
  "environments/dev/greenops.yml":
    "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\ncurrency: USD\n",
  "environments/dev/search.yaml": deployment("search", "1"),
  "environments/dev/storefront.yaml": deployment("storefront", "250m"),
};

/**
 * The storefront again, four times as large: a Kustomize render read after the plain files, so its
 * row comes last, while the copy counted is the plain file (later in path order).
 */
const KUSTOMIZED_COPY = {
  "environments/dev/base/kustomization.yaml": "resources:\n  - storefront.yaml\n",
  "environments/dev/base/storefront.yaml": deployment("storefront", "4"),
};

const SAME_FILE_COPY = {
  "environments/dev/storefront.yaml": `${deployment("storefront", "4")}---\n${deployment("storefront", "250m")}`,
};

let repo: TempRepo | undefined;
afterEach(() => repo?.dispose());

async function scan(files: Record<string, string>) {
  repo = tempRepo();
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  repo.commit("the dev environment");
  const checked = await checkedEstimate(repo.root, { ref: "HEAD" });
  const scanned = await scanCandidates(checked, { policies: ["replicas-cap"], maxFixesPerPullRequest: 1 });
  const candidates = scanned.environments.get("dev") ?? [];
  return {
    proposed: candidates.map(
      (c) => `${c.finding.resource?.id} saves ${c.finding.fix?.impact?.monthlyCost?.toFixed(2)}`,
    ),
    later: scanned.excluded.map((e) => e.finding.resource?.id),
    notCounted: checked.report.rows.filter((row) => row.after?.notCounted).length,
  };
}

describe("a scan ranks an object declared twice once, by its counted copy", () => {
  it.each([
    { case: "a Kustomize render and a plain manifest", copies: KUSTOMIZED_COPY },
    { case: "two documents of one file", copies: SAME_FILE_COPY },
  ])(
    "$case: the larger copy not counted neither lifts its rank nor adds to its saving",
    async ({ copies }) => {
      const once = await scan(DEV);
      const twice = await scan({ ...DEV, ...copies });
      expect(twice.notCounted).toBe(1);
      // One fix per pull request: the larger counted resource (search) first, the storefront once, later.
      expect(twice.proposed).toEqual(once.proposed);
      expect(twice.proposed).toEqual([
        expect.stringMatching(/^Deployment\/shop-dev\/search saves -\d+\.\d\d$/),
      ]);
      expect(twice.later).toEqual(["Deployment/shop-dev/storefront"]);
      expect(once.later).toEqual(twice.later);
    },
  );
});
