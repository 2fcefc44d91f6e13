import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyFixes } from "../../app/engine/apply-fixes.ts";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import type { Finding } from "../../app/engine/finding.ts";
import { findingOn } from "../github/findings.ts";
import type { TempRepo } from "../helpers/git-repo.ts";
import { BASE, baseWithOverlays } from "../helpers/shared-base.ts";

/**
 * The fix check compares every resource's figures: a fix of one resource that changes another's is not
 * written, however its edits were made (here by hand, past the shared places a policy's fix avoids).
 */

let repo: TempRepo;
afterEach(() => repo.dispose());

/** A base, and an overlay of it in each of these environments, estimated. */
async function overlays(...environments: string[]) {
  repo = baseWithOverlays(environments);
  return checkedEstimate(repo.root);
}

/** Staging's replicas cap, with its edit of the base written out (as a policy that missed the sharing would). */
function stagingCap(findings: readonly Finding[]): Finding {
  const cap = findings.find((f) => f.policy === "replicas-cap" && f.resource?.environment === "staging");
  if (!cap?.fix) throw new Error("no replicas-cap finding in staging");
  const start = BASE.indexOf("replicas: 6") + "replicas: ".length;
  return {
    ...cap,
    fix: {
      title: "Run 2 replicas",
      kind: "safe",
      edits: [{ file: "base/web.yaml", start, end: start + 1, text: "2" }],
    },
  };
}

describe("a fix that changes another resource's figures", () => {
  it("is not written: staging's edit of a base prod includes too would lower prod's replicas", async () => {
    const checked = await overlays("staging", "prod");
    const result = await applyFixes([stagingCap(checked.report.findings)], checked);
    expect(result.applied).toEqual([]);
    expect(result.files).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      "it would also change the figures of Deployment/shop/web in prod, which it is not for: make it by hand",
    ]);
    expect(result.impact).toEqual({ monthlyCost: 0, monthlyCarbonKg: 0 });
  });

  it("is written when the base is staging's alone", async () => {
    const checked = await overlays("staging");
    const result = await applyFixes([stagingCap(checked.report.findings)], checked);
    expect(result.skipped).toEqual([]);
    expect(result.files.map((f) => f.text)).toEqual([BASE.replace("replicas: 6", "replicas: 2")]);
  });
});

/** A fix of no resource (a stand-in or custom policy's: the runner names every built-in finding's resource). */
function resourceless(file: string, text: string, needle: string, replacement: string): Finding {
  return findingOn(file, text, needle, {
    policy: "example-policy",
    severity: "notice",
    message: "an example of a finding about no resource",
    replacement,
  });
}

const API_FILE = "environments/staging/api.yaml";
const API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:3.2.0
          resources:
            requests: { cpu: 500m, memory: 512Mi }
`;

describe("a fix of no resource may change figures only through the settings it edits", () => {
  const SETTINGS = "environments/staging/greenops.yml";
  it.each([
    {
      name: "a manifest: refused, naming the resource it changes",
      fix: () => resourceless(API_FILE, API, "replicas: 3", "replicas: 1"),
      skipped: [
        "it would also change the figures of Deployment/shop/api in staging, which it is not for: make it by hand",
      ],
    },
    {
      name: "its environment's settings: written",
      fix: () =>
        resourceless(
          SETTINGS,
          readFileSync(join(repo.root, SETTINGS), "utf8"),
          "region: eu-west-1",
          "region: us-east-1",
        ),
      skipped: [],
    },
  ])("$name", async ({ fix, skipped }) => {
    repo = baseWithOverlays(["staging"]);
    repo.write(API_FILE, API);
    const checked = await checkedEstimate(repo.root);
    const result = await applyFixes([fix()], checked);
    expect(result.skipped.map((s) => s.reason)).toEqual(skipped);
    expect(result.applied).toHaveLength(1 - skipped.length);
    // written, it changes the environment's figures: the check let it
    if (skipped.length === 0) expect(result.impact.monthlyCarbonKg).not.toBe(0);
  });
});

describe("a fix of an environment's settings", () => {
  it("changes the figures of the resources a Kustomize overlay renders as an estimate of the edited settings does", async () => {
    const SETTINGS = "environments/staging/greenops.yml";
    repo = baseWithOverlays(["staging"]);
    const text = readFileSync(join(repo.root, SETTINGS), "utf8");
    const checked = await checkedEstimate(repo.root);
    const result = await applyFixes(
      [resourceless(SETTINGS, text, "region: eu-west-1", "region: us-east-1")],
      checked,
    );
    repo.write(SETTINGS, text.replace("region: eu-west-1", "region: us-east-1"));
    const edited = await checkedEstimate(repo.root);
    const { monthlyCost, monthlyCarbonKg } = edited.baseline.totals;
    expect(result.impact.monthlyCarbonKg).not.toBe(0);
    expect(result.impact.monthlyCost).toBeCloseTo(monthlyCost - checked.baseline.totals.monthlyCost, 6);
    expect(result.impact.monthlyCarbonKg).toBeCloseTo(
      monthlyCarbonKg - checked.baseline.totals.monthlyCarbonKg,
      6,
    );
  });
});
