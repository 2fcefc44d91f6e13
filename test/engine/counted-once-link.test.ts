import { afterEach, describe, expect, it } from "vitest";
import { estimate } from "../../app/engine/estimate.ts";
import { sumEstimates } from "../../app/engine/evaluate.ts";
import type { EvaluatedResource, Evaluation } from "../../app/engine/types.ts";
import type { Resource } from "../../app/model/resource.ts";
import { evaluateFiles, PROD } from "../helpers/evaluate.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

const deployment = (requests = "requests: {cpu: 500m, memory: 512Mi}") => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: shop/web:1.4.2
          resources: {${requests}}
`;

const autoscaler = (min: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: ${min}
  maxReplicas: 20
`;

const limitRange = (cpu: string) => `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: ${cpu}, memory: 256Mi}
`;

const storageClass = (type: string) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: ebs.csi.aws.com
parameters: {type: ${type}}
`;

const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 100Gi}}
`;

/** What linking decided for a workload or a volume: replicas, CPU per pod, volume type; and its notes. */
function linkedAs(resource: Resource): string {
  const demand = resource.demand;
  if (demand.type === "volume") return `volume ${demand.volumeType}`;
  if (demand.type !== "workload") return demand.type;
  return `${demand.replicas.count} × ${demand.pod.cpuMillis}m (${demand.replicas.basis})`;
}

const linked = (resources: readonly EvaluatedResource[], kind: string) =>
  resources
    .filter(({ resource }) => resource.kind === kind)
    .map(
      ({ resource, notCounted }) =>
        `${resource.source.span.file} ${linkedAs(resource)}${notCounted ? " not counted" : ""}`,
    );

const scaledNotes = (evaluation: Evaluation) =>
  evaluation.resources.flatMap(({ resource }) => resource.notes.filter((note) => note.includes("scales it")));

describe("a linking object declared twice links as its counted copy only", () => {
  // Files are read in the order listed; the copy counted is the later in path order (b.yaml), so a
  // linker that saw both copies would take the other one's figures (the last or the first it read).
  it.each<{
    case: string;
    files: Record<string, string>;
    kind: string;
    linked: string[];
    alone: Record<string, string>;
  }>([
    {
      case: "an autoscaler, its copies' minimums differ: the counted copy's minimum",
      files: { "b.yaml": autoscaler(2), "a.yaml": autoscaler(5), "web.yaml": deployment() },
      kind: "Deployment",
      linked: ["web.yaml 2 × 500m (autoscaler)"],
      alone: { "b.yaml": autoscaler(2), "web.yaml": deployment() },
    },
    {
      case: "an autoscaler twice in one file: the later document",
      files: { "hpa.yaml": `${autoscaler(5)}---\n${autoscaler(2)}`, "web.yaml": deployment() },
      kind: "Deployment",
      linked: ["web.yaml 2 × 500m (autoscaler)"],
      alone: { "hpa.yaml": autoscaler(2), "web.yaml": deployment() },
    },
    {
      case: "a LimitRange, its default requests differ: the counted copy's defaults",
      files: { "a.yaml": limitRange("900m"), "b.yaml": limitRange("200m"), "web.yaml": deployment("") },
      kind: "Deployment",
      linked: ["web.yaml 3 × 200m (spec)"],
      alone: { "b.yaml": limitRange("200m"), "web.yaml": deployment("") },
    },
    {
      case: "a default StorageClass, its volume types differ: the counted copy's type",
      files: { "b.yaml": storageClass("gp3"), "a.yaml": storageClass("io1"), "data.yaml": claim },
      kind: "PersistentVolumeClaim",
      linked: ["data.yaml volume gp3"],
      alone: { "b.yaml": storageClass("gp3"), "data.yaml": claim },
    },
    {
      case: "the workload twice: the autoscaler scales the counted copy, and the other copy as its own figures",
      files: { "b.yaml": deployment(), "a.yaml": deployment(), "hpa.yaml": autoscaler(2) },
      kind: "Deployment",
      linked: ["b.yaml 2 × 500m (autoscaler)", "a.yaml 2 × 500m (autoscaler) not counted"],
      alone: { "b.yaml": deployment(), "hpa.yaml": autoscaler(2) },
    },
    {
      case: "the workload twice under a LimitRange: the copy not counted gets the defaults too",
      files: { "b.yaml": deployment(""), "a.yaml": deployment(""), "limits.yaml": limitRange("200m") },
      kind: "Deployment",
      linked: ["b.yaml 3 × 200m (spec)", "a.yaml 3 × 200m (spec) not counted"],
      alone: { "b.yaml": deployment(""), "limits.yaml": limitRange("200m") },
    },
  ])("$case", ({ files, kind, linked: expected, alone }) => {
    const evaluation = evaluateFiles(files, PROD);
    expect(linked(evaluation.resources, kind)).toEqual(expected);
    expect(sumEstimates(evaluation.resources)).toEqual(sumEstimates(evaluateFiles(alone, PROD).resources));
  });

  it("an autoscaler's copy not counted scales nothing and says nothing", () => {
    const evaluation = evaluateFiles({
      "b.yaml": autoscaler(2),
      "a.yaml": autoscaler(5),
      "web.yaml": deployment(),
    });
    expect(scaledNotes(evaluation)).toEqual([
      "HorizontalPodAutoscaler/shop/web scales it between 2 and 20 replicas: estimated at the minimum",
    ]);
    const notices = evaluation.diagnostics.filter((d) =>
      d.message.includes("which is not in this environment"),
    );
    expect(notices).toEqual([]);
  });
});

describe("manifests and a Kustomize render of one environment link together", () => {
  let repo: TempRepo | undefined;
  afterEach(() => repo?.dispose());

  const KUSTOMIZED = {
    "environments/test/greenops.yml":
      "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\ncurrency: USD\n",
    "environments/test/kustomize/kustomization.yaml": "resources:\n  - web.yaml\n",
    "environments/test/kustomize/web.yaml": deployment(),
  };

  it.each<{ case: string; files: Record<string, string>; linked: string[] }>([
    {
      case: "an autoscaler in a manifest scales the Deployment the render holds",
      files: { ...KUSTOMIZED, "environments/test/hpa.yaml": autoscaler(2) },
      linked: ["environments/test/kustomize/web.yaml 2 × 500m (autoscaler)"],
    },
    {
      case: "the Deployment declared again in a manifest, earlier in path order: the render's copy is counted and scaled",
      files: {
        ...KUSTOMIZED,
        "environments/test/hpa.yaml": autoscaler(2),
        "environments/test/a-web.yaml": deployment(),
      },
      linked: [
        "environments/test/a-web.yaml 2 × 500m (autoscaler) not counted",
        "environments/test/kustomize/web.yaml 2 × 500m (autoscaler)",
      ],
    },
    {
      case: "a LimitRange in a manifest gives its defaults to the render's containers",
      files: {
        ...KUSTOMIZED,
        "environments/test/kustomize/web.yaml": deployment(""),
        "environments/test/limits.yaml": limitRange("200m"),
      },
      linked: ["environments/test/kustomize/web.yaml 3 × 200m (spec)"],
    },
  ])("$case", async ({ files, linked: expected }) => {
    repo = tempRepo();
    for (const [path, text] of Object.entries(files)) repo.write(path, text);
    const report = await estimate(repo.root, { projects: { kubectl: false } });
    const resources = report.rows.flatMap((row) => (row.after ? [row.after] : []));
    expect(linked(resources, "Deployment")).toEqual(expected);
    expect(report.diagnostics.filter((d) => d.message.includes("not in this environment"))).toEqual([]);
  });
});
