import { afterEach, describe, expect, it } from "vitest";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import { totalsChange } from "../../app/engine/evaluate.ts";
import type { TextEdit } from "../../app/engine/finding.ts";
import { editedTexts } from "../../app/engine/fix-edits.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/example/${name}:1.4.2
          resources: { requests: { cpu: "1", memory: 1Gi } }
`;

const PLAIN = "environments/prod/a-plain.yaml";
const KUSTOMIZATION = "environments/prod/kustomize/kustomization.yaml";

/**
 * The web Deployment twice in prod: in a plain manifest, and in a Kustomize render of a file later in
 * path order (the copy counted, its replicas set by the kustomization); the plain file holds a
 * Deployment of its own too.
 */
const FILES = {
  "environments/prod/greenops.yml":
    "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\ncurrency: USD\n",
  [PLAIN]: `${deployment("web", 3)}---\n${deployment("api", 2)}`,
  [KUSTOMIZATION]: "resources:\n  - web.yaml\nreplicas:\n  - name: web\n    count: 3\n",
  "environments/prod/kustomize/web.yaml": deployment("web", 3),
};

let repo: TempRepo | undefined;
afterEach(() => repo?.dispose());

/** An edit of a file's number after its `index`th `key` (`replicas: `, a kustomization's `count: `). */
function numberEdit(file: string, text: string, key: string, index: number, to: number): TextEdit {
  let at = -1;
  for (let i = 0; i <= index; i++) at = text.indexOf(key, at + 1);
  const start = at + key.length;
  return { file, start, end: text.indexOf("\n", start), text: String(to) };
}

describe("the quick fix-saving estimate of an object declared in a manifest and a Kustomize render", () => {
  it.each([
    { case: "the plain copy, not counted: saves nothing", file: PLAIN, key: "replicas: ", index: 0, cost: 0 },
    {
      case: "another object of the same file: its own saving",
      file: PLAIN,
      key: "replicas: ",
      index: 1,
      cost: -1,
    },
    // The kustomization alone renders nothing: parsed alone, the render's copy vanished and the plain one counted.
    {
      case: "the rendered copy, counted, by its kustomization: its saving",
      file: KUSTOMIZATION,
      key: "count: ",
      index: 0,
      cost: -1,
    },
  ])("$case, as the whole check measures it", async ({ file, key, index, cost }) => {
    repo = tempRepo();
    for (const [path, text] of Object.entries(FILES)) repo.write(path, text);
    repo.commit("prod");
    const checked = await checkedEstimate(repo.root, { ref: "HEAD", projects: { kubectl: false } });
    const plain = checked.report.rows.find((row) => row.after?.resource.source.span.file === PLAIN);
    expect(plain?.after?.notCounted?.counted.file).toBe("environments/prod/kustomize/web.yaml");

    const edits = [numberEdit(file, checked.text(file) ?? "", key, index, 1)];
    const quick = await checked.impact(edits);
    const whole = totalsChange(
      (await checked.verify(editedTexts(edits, checked.text))).totals,
      checked.baseline.totals,
    );
    expect(quick.monthlyCost).toBeCloseTo(whole.monthlyCost, 6);
    expect(quick.monthlyCarbonKg).toBeCloseTo(whole.monthlyCarbonKg, 6);
    expect(Math.sign(quick.monthlyCost)).toBe(cost);
  });
});
