import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyFixes } from "../../app/engine/apply-fixes.ts";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import type { Finding } from "../../app/engine/finding.ts";
import { PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/**
 * The fix check compares every resource's figures: a fix of one resource that changes another's is not
 * written, however its edits were made (here by hand, past the shared places a policy's fix avoids).
 */

const BASE = readFileSync(join(PROJECT, "test/fixtures/shared-places/web.yaml"), "utf8");

let repo: TempRepo;
afterEach(() => repo.dispose());

/** A base, and an overlay of it in each of these environments. */
async function overlays(...environments: string[]) {
  repo = tempRepo();
  for (const environment of environments) {
    const settings = environment === "prod" ? "prod" : "dev";
    repo.write(
      `environments/${environment}/greenops.yml`,
      readFileSync(join(PROJECT, `environments/${settings}/greenops.yml`)),
    );
    repo.write(
      `environments/${environment}/web/kustomization.yaml`,
      "namespace: shop\nresources:\n  - ../../../base\n",
    );
  }
  repo.write("base/web.yaml", BASE);
  repo.write("base/kustomization.yaml", "resources:\n  - web.yaml\n");
  repo.commit("a base and its overlays");
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
