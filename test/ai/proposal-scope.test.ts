import { afterEach, describe, expect, it } from "vitest";
import { excerptsOf } from "../../app/ai/excerpts.ts";
import { verifyProposal } from "../../app/ai/verify-proposal.ts";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import type { TempRepo } from "../helpers/git-repo.ts";
import { baseWithOverlays } from "../helpers/shared-base.ts";

/**
 * A proposal names one resource: the engine keeps it only when the edit changes that resource's figures
 * in one environment and no other resource's. A base that staging and prod both include is not one.
 */

let repo: TempRepo;
afterEach(() => repo.dispose());

const proposal = {
  file: "base/web.yaml",
  resource: "Deployment/shop/web",
  title: "Run 2 replicas",
  rationale: "Six replicas were sized for a launch that is over.",
  edits: [{ startLine: 6, endLine: 6, replacement: "  replicas: 2" }],
};

describe("an AI proposal on a Kustomize base", () => {
  it.each([
    {
      environments: ["staging", "prod"],
      expected: {
        reason:
          "it would change Deployment/shop/web in prod and in staging, each environment that reads the file: make it by hand where it applies",
      },
    },
    { environments: ["staging"], expected: expect.objectContaining({ title: "Run 2 replicas" }) },
  ])("included by $environments", async ({ environments, expected }) => {
    repo = baseWithOverlays(environments);
    const checked = await checkedEstimate(repo.root);
    const excerpts = excerptsOf(checked.report, checked.text, []);
    expect(await verifyProposal(proposal, checked, excerpts)).toEqual(expected);
  });
});
