import { afterEach, describe, expect, it } from "vitest";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import { totalsChange } from "../../app/engine/evaluate.ts";
import { editedTexts } from "../../app/engine/fix-edits.ts";
import { autoscaler, deployment, documents, editTo, expectSame, limitRange } from "../helpers/fix-impact.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

const WEB = deployment("web", "shop", 3, { cpu: "500m", memory: "512Mi" });

const PLAIN = "environments/prod/a-plain.yaml";

/** A plain manifest and a Kustomize render in one environment: the render's autoscaler, LimitRange and a copy of web. */
const RENDERED = {
  "environments/prod/greenops.yml":
    "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\nnodeCount: 8\ncurrency: USD\n",
  [PLAIN]: documents(
    WEB,
    deployment("api", "shop", 2, { memory: "1Gi" }),
    deployment("cart", "shop", 3, { cpu: "1" }),
  ),
  "environments/prod/kustomize/kustomization.yaml":
    "resources:\n  - web.yaml\n  - hpa.yaml\n  - limits.yaml\n",
  "environments/prod/kustomize/web.yaml": WEB,
  "environments/prod/kustomize/hpa.yaml": autoscaler("api", "shop", 4),
  "environments/prod/kustomize/limits.yaml": limitRange("shop", "750m"),
};

describe("a fix's saving in a plain manifest linked with a Kustomize render", () => {
  let repo: TempRepo | undefined;
  afterEach(() => repo?.dispose());

  it("is the whole check's, for each object of the manifest", async () => {
    repo = tempRepo();
    for (const [path, text] of Object.entries(RENDERED)) repo.write(path, text);
    repo.commit("prod");
    const checked = await checkedEstimate(repo.root, { ref: "HEAD", projects: { kubectl: false } });
    const text = checked.text(PLAIN) ?? "";
    const edits = [
      text.replace("memory: 1Gi", "memory: 512Mi"),
      text.replace("replicas: 2", "replicas: 6"),
      text.replace("cpu: 1}", "cpu: 250m}"),
      text.replace("cpu: 500m", "cpu: 100m"),
    ].map((to) => editTo({ [PLAIN]: text }, PLAIN, to));
    const savings = [];
    for (const edit of edits) {
      const quick = await checked.impact([edit]);
      const whole = totalsChange(
        (await checked.verify(editedTexts([edit], checked.text))).totals,
        checked.baseline.totals,
      );
      expectSame(quick, whole);
      savings.push(Math.sign(quick.monthlyCost));
    }
    // api's replicas are its autoscaler's; web's copy in the render is the one counted.
    expect(savings).toEqual([-1, 0, -1, 0]);
  });
});
