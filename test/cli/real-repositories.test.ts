import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greenopsWith, json } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

const KUBECTL = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

type Diagnostic = { file: string; line: number; severity: string; message: string };
type Row = { id: string; file: string; line: number; monthlyCost: { after: number | null } };

/** A chart laid out like stefanprodan/podinfo's: templates in subfolders, helpers, a subchart, CRDs. */
const CHART: Record<string, string> = {
  "charts/podinfo/Chart.yaml": "apiVersion: v2\nname: podinfo\nversion: 6.9.2\nappVersion: 6.9.2\n",
  "charts/podinfo/values.yaml": "replicaCount: 1\nresources:\n  requests:\n    cpu: 1m\n    memory: 16Mi\n",
  "charts/podinfo/templates/_helpers.tpl": '{{- define "podinfo.name" -}}{{ .Chart.Name }}{{- end }}\n',
  "charts/podinfo/templates/NOTES.txt": "1. Get the application URL\n",
  "charts/podinfo/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "podinfo.fullname" . }}
spec:
  {{- if not .Values.hpa.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          resources:
{{ toYaml .Values.resources | indent 12 }}
`,
  "charts/podinfo/templates/tests/grpc.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: {{ template "podinfo.fullname" . }}-grpc-test-{{ randAlphaNum 5 | lower }}
  annotations:
    "helm.sh/hook": test-success
spec:
  containers:
    - name: grpc-health-probe
      args: ['-addr={{ template "podinfo.fullname" . }}.{{ .Release.Namespace }}:{{ .Values.service.grpcPort }}']
`,
  "charts/podinfo/templates/redis/deployment.yaml": `{{- if .Values.redis.enabled -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "podinfo.fullname" . }}-redis
{{- end }}
`,
  "charts/podinfo/charts/common/Chart.yaml": "apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n",
  "charts/podinfo/charts/common/templates/_labels.tpl": '{{- define "common.labels" -}}app: x{{- end }}\n',
  "charts/podinfo/crds/podinfos.yaml": `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: podinfos.example.com
spec:
  group: example.com
  names: { kind: PodInfo, plural: podinfos }
  scope: Namespaced
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object } } }]
`,
};

describe("a Helm chart is one notice, never invalid YAML", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    for (const [path, text] of Object.entries(CHART)) repo.write(path, text);
    repo.commit("the podinfo chart");
  });

  afterAll(() => repo.dispose());

  it("estimate: one notice at Chart.yaml, nothing about its templates", () => {
    const report = json(repo.root, "estimate");
    const about = report.diagnostics.filter((d: Diagnostic) => d.file.startsWith("charts/"));
    expect(about).toEqual([
      {
        file: "charts/podinfo/Chart.yaml",
        line: 1,
        severity: "notice",
        message: expect.stringMatching(
          /^a Helm chart \(6 template files\): not rendered, since GreenOps cannot run Helm; render it \(helm template\) and review the output, or let ArgoCD's manifests API do it/,
        ),
      },
    ]);
    expect(report.resources.map((r: Row) => r.id)).toEqual(["CustomResourceDefinition/podinfos.example.com"]);
  });

  it("review: touching a template says the same, once", () => {
    repo.write(
      "charts/podinfo/templates/tests/grpc.yaml",
      `${CHART["charts/podinfo/templates/tests/grpc.yaml"]}  restartPolicy: Never\n`,
    );
    const report = json(repo.root, "review");
    expect(report.diagnostics.map((d: Diagnostic) => `${d.severity} ${d.file}:${d.line}`)).toEqual([
      "notice charts/podinfo/Chart.yaml:1",
    ]);
  });
});

/** A base like podinfo's deploy/bases/frontend: generators read files beside the kustomization. */
const KUSTOMIZE: Record<string, string> = {
  "deploy/bases/frontend/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
configMapGenerator:
  - name: warm-cache-script
    files:
      - scripts/warm-cache.sh
      - init.sh=scripts/warm-cache-init.sh
    options:
      disableNameSuffixHash: true
secretGenerator:
  - name: frontend-env
    envs:
      - frontend.env
`,
  "deploy/bases/frontend/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: frontend
          image: ghcr.io/stefanprodan/podinfo:6.9.2
          resources:
            requests: { cpu: 100m, memory: 64Mi }
`,
  "deploy/bases/frontend/scripts/warm-cache.sh": "#!/bin/sh\ncurl -s http://frontend:9898/cache\n",
  "deploy/bases/frontend/scripts/warm-cache-init.sh": "#!/bin/sh\necho init\n",
  "deploy/bases/frontend/frontend.env": "LOG_LEVEL=info\n",
  "deploy/overlays/dev/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: dev
resources:
  - ../../bases/frontend
transformers:
  - labels.yaml
patches:
  - path: replicas.yaml
`,
  "deploy/overlays/dev/labels.yaml": `apiVersion: builtin
kind: LabelTransformer
metadata:
  name: labels
labels:
  env: dev
fieldSpecs:
  - path: metadata/labels
    create: true
`,
  "deploy/overlays/dev/replicas.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 1
`,
  "deploy/components/no-cache/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - target: { kind: Deployment, name: frontend }
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 0
`,
};

describe("Kustomize reads every file a kustomization names", () => {
  let repo: TempRepo;
  let fake: string;

  beforeAll(() => {
    repo = tempRepo();
    for (const [path, text] of Object.entries(KUSTOMIZE)) repo.write(path, text);
    repo.commit("podinfo's frontend, with a dev overlay");
    // A kubectl that fails as kubectl does: a klog line with the copy's absolute path in it.
    fake = mkdtempSync(join(tmpdir(), "greenops-fake-kubectl-"));
    writeFileSync(
      join(fake, "kubectl"),
      `#!/bin/sh
base="$(dirname "$(dirname "$2")")/bases/frontend"
echo "E1204 21:27:10.328404   12149 run.go:72] \\"command failed\\" err=\\"accumulating resources: accumulation err='accumulating resources from '../../bases/frontend': '$base' must resolve to a file'\\"" >&2
exit 1
`,
    );
    chmodSync(join(fake, "kubectl"), 0o755);
  });

  afterAll(() => {
    repo.dispose();
    rmSync(fake, { recursive: true, force: true });
  });

  it.runIf(KUBECTL)(
    "renders generators' files, transformers and patches with kubectl; a lone component is a notice",
    () => {
      const run = greenopsWith({ GREENOPS_KUBECTL: "kubectl" }, repo.root, "estimate", "--format", "json");
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.diagnostics).toEqual([
        {
          file: "deploy/components/no-cache/kustomization.yaml",
          line: 1,
          severity: "notice",
          message: expect.stringMatching(
            /^a Kustomize component that no kustomization of the repository includes/,
          ),
        },
      ]);
      const ids = report.resources.map((r: Row) => r.id).sort();
      expect(ids).toEqual([
        "ConfigMap/dev/warm-cache-script",
        "Deployment/dev/frontend",
        expect.stringMatching(/^Secret\/dev\/frontend-env-/),
      ]);
      const frontend = report.resources.find((r: Row) => r.id === "Deployment/dev/frontend");
      expect(frontend).toMatchObject({ file: "deploy/bases/frontend/deployment.yaml", line: 1 });
    },
  );

  it("names repository paths only when kubectl fails, never its temporary folder or log prefix", () => {
    const run = greenopsWith(
      { GREENOPS_KUBECTL: join(fake, "kubectl") },
      repo.root,
      "estimate",
      "--format",
      "json",
    );
    expect(run.status).toBe(0);
    const errors = JSON.parse(run.stdout).diagnostics.filter((d: Diagnostic) => d.severity === "error");
    expect(errors).toEqual([
      {
        file: "deploy/overlays/dev/kustomization.yaml",
        line: 1,
        severity: "error",
        message:
          "kubectl kustomize failed: accumulating resources: accumulation err='accumulating resources from '../../bases/frontend': 'deploy/bases/frontend' must resolve to a file'",
      },
    ]);
    expect(run.stdout).not.toContain(tmpdir());
  });
});

describe("a workload without requests is not a $0.00 workload", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    const deployment = (name: string, resources = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/example/${name}:1.0.0
${resources}`;
    repo.write("apps/cart.yaml", deployment("cart"));
    repo.write("apps/search.yaml", deployment("search"));
    repo.write(
      "apps/api.yaml",
      deployment("api", "          resources:\n            requests: { cpu: 250m, memory: 256Mi }\n"),
    );
    repo.commit("three workloads, one with requests");
  });

  afterAll(() => repo.dispose());

  it("counts it as not estimated, keeps its finding, and the headline says most are unknown", () => {
    const report = json(repo.root, "estimate");
    const cart = report.resources.find((r: Row) => r.id === "Deployment/shop/cart");
    expect(cart.monthlyCost.after).toBeNull();
    expect(report.summary.resources.notEstimated).toBe(2);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ policy: "requests-required", file: "apps/cart.yaml", line: 11 }),
    );
    const markdown = greenopsWith({}, repo.root, "estimate").stdout;
    expect(markdown.split("\n")[0]).toBe(
      "## GreenOps estimate: not known for most resources (2 of 3 not estimated); $13.08/month, 0.409 kgCO2e/month for the other 1",
    );
  });

  it("a LimitRange's defaults make it estimated again", () => {
    repo.write(
      "apps/limits.yaml",
      "apiVersion: v1\nkind: LimitRange\nmetadata: { name: defaults, namespace: shop }\nspec:\n  limits:\n    - type: Container\n      defaultRequest: { cpu: 100m, memory: 128Mi }\n",
    );
    const report = json(repo.root, "estimate");
    expect(report.summary.resources.notEstimated).toBe(0);
    expect(
      report.resources.find((r: Row) => r.id === "Deployment/shop/cart").monthlyCost.after,
    ).toBeGreaterThan(0);
  });
});
