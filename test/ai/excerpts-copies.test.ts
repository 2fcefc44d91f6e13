import { afterEach, describe, expect, it } from "vitest";
import { excerptsOf } from "../../app/ai/excerpts.ts";
import { exampleDeployment } from "../../app/engine/budget-policy.ts";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

let repo: TempRepo;
afterEach(() => repo?.dispose());

describe("the manifests sent to the AI advisor for proposals", () => {
  it("leave out a copy not counted, however much it would cost: editing it saves nothing", async () => {
    repo = tempRepo();
    repo.write(
      "environments/prod/greenops.yml",
      "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\nnodeCount: 6\ncurrency: USD\n",
    );
    // Earlier in path order, so not counted; 12 replicas make it the costliest resource read.
    repo.write("environments/prod/shop/00-api.yaml", exampleDeployment(12));
    repo.write("environments/prod/shop/api.yaml", exampleDeployment(3));
    repo.write("environments/prod/shop/worker.yaml", exampleDeployment(2).replace(/\bapi\b/g, "worker"));
    repo.commit("prod");
    const checked = await checkedEstimate(repo.root);
    const { sent, text } = excerptsOf(checked.report, checked.text, []);
    expect([...sent.keys()].sort()).toEqual([
      "environments/prod/shop/api.yaml",
      "environments/prod/shop/worker.yaml",
    ]);
    expect(text).not.toContain("00-api.yaml");
  });
});
