import { describe, expect, it } from "vitest";
import { YamlFile } from "../../../app/iac/yaml/yaml-file.ts";
import { pathOf } from "../../../app/model/pointer.ts";
import type { Resource, WorkloadDemand } from "../../../app/model/resource.ts";
import { PROD, parseLinked } from "../../helpers/evaluate.ts";

function workload(resource: Resource | undefined): WorkloadDemand {
  if (resource?.demand.type !== "workload") throw new Error(`not a workload: ${resource?.demand.type}`);
  return resource.demand;
}

const container = (requests: string) => `
      containers:
        - name: app
          image: example/app:1
          resources:
            requests: ${requests}`;

describe("Kubernetes workloads", () => {
  it.each([
    ["Deployment", "apps/v1", "spec:\n  replicas: 4\n  template:\n    spec:", 4, "spec"],
    ["StatefulSet", "apps/v1", "spec:\n  replicas: 2\n  template:\n    spec:", 2, "spec"],
    ["ReplicaSet", "apps/v1", "spec:\n  template:\n    spec:", 1, "default"],
    ["Rollout", "argoproj.io/v1alpha1", "spec:\n  replicas: 5\n  template:\n    spec:", 5, "spec"],
    ["DaemonSet", "apps/v1", "spec:\n  template:\n    spec:", 6, "node-count"],
  ] as const)("%s reads replicas and requests", (kind, apiVersion, spec, replicas, basis) => {
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\n  namespace: shop\n${spec}${container("{ cpu: 250m, memory: 256Mi }")}\n`;
    const { resources, diagnostics } = parseLinked(text, PROD);
    expect(diagnostics).toEqual([]);
    expect(resources[0]?.id).toBe(`${kind}/shop/web`);
    const demand = workload(resources[0]);
    expect(demand.replicas).toMatchObject({ count: replicas, basis });
    expect(demand.pod).toEqual({ cpuMillis: 250, memoryBytes: 268435456, gpus: 0 });
  });

  it("reads a bare Pod as one pod", () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:${container("{ cpu: '1', memory: 1Gi }").replace(/\n {4}/g, "\n")}\n`;
    const demand = workload(parseLinked(text).resources[0]);
    expect(demand.replicas).toEqual({ count: 1, basis: "single-pod" });
    expect(demand.pod.cpuMillis).toBe(1000);
  });

  it("counts a Job as one run of its completions, parallelism at a time", () => {
    const text = `apiVersion: batch/v1
kind: Job
metadata: { name: backfill }
spec:
  completions: 6
  parallelism: 2
  template:
    spec:${container("{ cpu: 500m }")}
`;
    const resource = parseLinked(text, { ...PROD, jobRunMinutes: 10 }).resources[0];
    expect(workload(resource).runs).toMatchObject({
      runsPerMonth: 1,
      runSeconds: 1800,
      podsPerRun: 2,
      runSecondsBasis: "default",
    });
    expect(resource?.notes).toContain("a Job is counted as one run a month");
  });

  it("derives a CronJob's runs from its schedule and bounds a run by activeDeadlineSeconds", () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  schedule: "*/30 * * * *"
  jobTemplate:
    spec:
      activeDeadlineSeconds: 300
      template:
        spec:
          containers:
            - name: report
              resources: { requests: { cpu: "1" } }
`;
    const runs = workload(parseLinked(text).resources[0]).runs;
    expect(runs).toMatchObject({
      runsPerMonth: 1460,
      runSeconds: 300,
      runSecondsBasis: "active-deadline",
      schedule: "*/30 * * * *",
    });
  });

  it("counts no runs for a suspended CronJob and caps Forbid runs at the month", () => {
    const suspended = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: a }\nspec:\n  suspend: true\n  schedule: "@hourly"\n  jobTemplate: { spec: { template: { spec: { containers: [{ name: c }] } } } }\n`;
    expect(workload(parseLinked(suspended).resources[0]).runs?.suspended).toBe(true);
    const forbid = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: b }\nspec:\n  concurrencyPolicy: Forbid\n  schedule: "* * * * *"\n  jobTemplate: { spec: { activeDeadlineSeconds: 3600, template: { spec: { containers: [{ name: c }] } } } }\n`;
    expect(workload(parseLinked(forbid).resources[0]).runs?.runsPerMonth).toBe(730);
  });

  it("reports an invalid schedule at its line", () => {
    const text = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: a }\nspec:\n  schedule: "0 0 * * 7"\n  jobTemplate: { spec: { template: { spec: { containers: [{ name: c }] } } } }\n`;
    expect(parseLinked(text).diagnostics).toEqual([
      expect.objectContaining({
        line: 5,
        severity: "error",
        message: expect.stringContaining("above maximum (6)"),
      }),
    ]);
  });
});

describe("pod requests follow Kubernetes' rules", () => {
  const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n${spec}`;

  it.each([
    [
      "app containers add up",
      "  containers:\n    - { name: a, resources: { requests: { cpu: 100m, memory: 64Mi } } }\n    - { name: b, resources: { requests: { cpu: 200m, memory: 64Mi } } }\n",
      { cpuMillis: 300, memoryBytes: 128 * 2 ** 20, gpus: 0 },
    ],
    [
      "the largest init container wins when larger than the app",
      "  initContainers:\n    - { name: i, resources: { requests: { cpu: '2', memory: 1Gi } } }\n  containers:\n    - { name: a, resources: { requests: { cpu: 100m, memory: 64Mi } } }\n",
      { cpuMillis: 2000, memoryBytes: 2 ** 30, gpus: 0 },
    ],
    [
      "sidecars add to the app and to later init containers",
      "  initContainers:\n    - { name: s, restartPolicy: Always, resources: { requests: { cpu: 100m } } }\n    - { name: i, resources: { requests: { cpu: 500m } } }\n  containers:\n    - { name: a, resources: { requests: { cpu: 200m } } }\n",
      { cpuMillis: 600, memoryBytes: 0, gpus: 0 },
    ],
    [
      "a limit without a request is the request",
      "  containers:\n    - { name: a, resources: { limits: { cpu: 750m, memory: 1Gi, nvidia.com/gpu: 1 } } }\n",
      { cpuMillis: 750, memoryBytes: 2 ** 30, gpus: 1 },
    ],
    [
      "pod overhead is added",
      "  overhead: { cpu: 250m, memory: 120Mi }\n  containers:\n    - { name: a, resources: { requests: { cpu: 250m, memory: 8Mi } } }\n",
      { cpuMillis: 500, memoryBytes: 128 * 2 ** 20, gpus: 0 },
    ],
    [
      "pod-level requests replace the container sum",
      "  resources: { requests: { cpu: '1' } }\n  containers:\n    - { name: a, resources: { requests: { cpu: 250m, memory: 1Mi } } }\n",
      { cpuMillis: 1000, memoryBytes: 2 ** 20, gpus: 0 },
    ],
  ])("%s", (_, spec, expected) => {
    expect(workload(parseLinked(pod(spec)).resources[0]).pod).toEqual(expected);
  });
});

describe("labels", () => {
  it("are read as strings, every key an own property (__proto__ too)", () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels: { app: web, tier: 2, canary: true, "__proto__": x }\n';
    const [resource] = parseLinked(text, PROD).resources;
    expect(resource?.labels).toEqual({ app: "web", tier: "2", canary: "true", ["__proto__"]: "x" });
    expect(Object.getPrototypeOf(resource?.labels)).toBe(Object.prototype);
    expect(Object.keys(resource?.labels ?? {})).toEqual(["app", "tier", "canary", "__proto__"]);
  });
});

describe("other kinds", () => {
  it("prices a PVC by its size and class, and follows a StorageClass to its volume type", () => {
    const text = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations: { storageclass.kubernetes.io/is-default-class: "true" }
provisioner: ebs.csi.aws.com
parameters: { type: io2 }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  resources: { requests: { storage: 1.5Gi } }
`;
    const [storageClass, claim] = parseLinked(text).resources;
    expect(storageClass?.demand).toMatchObject({
      type: "modifier",
      effect: { kind: "storage-class", volumeType: "io2" },
    });
    expect(claim?.demand).toEqual({
      type: "volume",
      name: "data",
      storageBytes: 1610612736,
      volumeType: "io2",
      pointer: "",
    });
    expect(claim?.notes).toContain('no storageClassName: the default class "fast" is assumed');
  });

  it.each([
    ["", "classic"],
    ["  annotations: { service.beta.kubernetes.io/aws-load-balancer-type: nlb }\n", "network"],
  ])("reads a LoadBalancer Service %#", (annotations, flavour) => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n${annotations}spec:\n  type: LoadBalancer\n`;
    expect(parseLinked(text).resources[0]?.demand).toEqual({ type: "load-balancer", flavour });
  });

  it("charges one ALB per ingress group", () => {
    const ingress = (name: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  annotations: { alb.ingress.kubernetes.io/group.name: shop }\nspec:\n  ingressClassName: alb\n`;
    const [first, second] = parseLinked(`${ingress("a")}---\n${ingress("b")}`).resources;
    expect(first?.demand).toEqual({ type: "load-balancer", flavour: "application", group: "shop" });
    expect(second?.demand).toMatchObject({ sharedWith: "Ingress/a" });
  });

  it("sets replicas from an autoscaler and keeps its range", () => {
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\nspec:\n  replicas: 2\n  template: { spec: { containers: [{ name: a }] } }\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web, namespace: shop }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n  minReplicas: 3\n  maxReplicas: 10\n`;
    const [deployment] = parseLinked(text).resources;
    expect(workload(deployment).replicas).toEqual({
      count: 3,
      min: 3,
      max: 10,
      basis: "autoscaler",
      by: "HorizontalPodAutoscaler/shop/web",
    });
  });

  it.each([
    ["autoscaling/v1", "  targetCPUUtilizationPercentage: 60\n", { cpu: 60 }],
    ["autoscaling/v2, no metrics: the controller's default", "", { cpu: 80 }],
    [
      "autoscaling/v2 on memory utilisation and a custom metric",
      "  metrics:\n    - { type: Resource, resource: { name: memory, target: { type: Utilization, averageUtilization: 70 } } }\n    - { type: Pods, pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: 10 } } }\n",
      { memory: 70 },
    ],
    [
      "autoscaling/v2beta1 and a container resource",
      "  metrics:\n    - { type: Resource, resource: { name: cpu, targetAverageUtilization: 50 } }\n    - { type: ContainerResource, containerResource: { name: memory, container: a, target: { type: Utilization, averageUtilization: 65 } } }\n",
      { cpu: 50, memory: 65 },
    ],
  ])("reads the utilisation an autoscaler targets: %s", (_name, metrics, utilisation) => {
    const text = `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web }\nspec:\n  scaleTargetRef: { kind: Deployment, name: web }\n  maxReplicas: 3\n${metrics}`;
    const demand = parseLinked(text).resources[0]?.demand;
    expect(
      demand?.type === "modifier" && demand.effect.kind === "autoscaler" && demand.effect.utilisation,
    ).toEqual(utilisation);
  });

  it("notes an autoscaler whose target is not in the manifests", () => {
    const text = `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web }\nspec:\n  scaleTargetRef: { kind: Deployment, name: elsewhere }\n  maxReplicas: 3\n`;
    expect(parseLinked(text).diagnostics).toEqual([expect.objectContaining({ severity: "notice", line: 5 })]);
  });

  it("applies LimitRange default requests in the same namespace only", () => {
    const text = `apiVersion: v1
kind: LimitRange
metadata: { name: defaults, namespace: shop }
spec:
  limits:
    - type: Container
      default: { cpu: 500m, memory: 512Mi }
      defaultRequest: { cpu: 100m }
---
apiVersion: v1
kind: Pod
metadata: { name: in-shop, namespace: shop }
spec: { containers: [{ name: a }, { name: b, resources: { requests: { cpu: 300m } } }] }
---
apiVersion: v1
kind: Pod
metadata: { name: elsewhere, namespace: other }
spec: { containers: [{ name: a }] }
`;
    const [, inShop, elsewhere] = parseLinked(text).resources;
    expect(workload(inShop).pod).toEqual({ cpuMillis: 400, memoryBytes: 1024 * 2 ** 20, gpus: 0 });
    expect(workload(inShop).containers[0]?.basis).toEqual({ cpu: "limit-range", memory: "limit-range" });
    expect(workload(elsewhere).pod.cpuMillis).toBe(0);
    // It requests nothing at all: not estimated, rather than "counted as 0".
    expect(elsewhere?.notes.filter((n) => n.includes("counted as 0"))).toEqual([]);
    expect(workload(inShop).containers[1]?.basis.memory).toBe("limit-range");
  });

  it.each(["ConfigMap", "Secret", "Namespace", "ServiceAccount", "NetworkPolicy", "PodDisruptionBudget"])(
    "%s costs nothing",
    (kind) => {
      expect(
        parseLinked(`apiVersion: v1\nkind: ${kind}\nmetadata: { name: x }\n`).resources[0]?.demand,
      ).toEqual({ type: "free" });
    },
  );

  it("reads the items of a List", () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: a }\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: b }\n    spec: { type: LoadBalancer }\n`;
    const { resources } = parseLinked(text);
    expect(resources.map((r) => [r.id, r.source.span.startLine])).toEqual([
      ["ConfigMap/a", 4],
      ["Service/b", 7],
    ]);
  });
});

describe("locations", () => {
  it("keeps the file and exact range of the resource and of every field a policy may fix", () => {
    const text = `# header comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: "250m"
              memory: 256Mi
`;
    const resource = parseLinked(text, PROD, "k8s/web.yaml").resources[0];
    expect(resource?.source.span).toMatchObject({
      file: "k8s/web.yaml",
      startLine: 2,
      startColumn: 1,
      endLine: 15,
      endColumn: 28,
    });
    const cpu = resource?.source.fields["/spec/template/spec/containers/0/resources/requests/cpu"];
    expect(cpu?.value).toMatchObject({ startLine: 14, startColumn: 20, endLine: 14, endColumn: 26 });
    expect(text.slice(cpu?.value.startOffset, cpu?.value.endOffset)).toBe('"250m"');
    expect(resource?.source.fields["/spec/replicas"]?.key).toMatchObject({ startLine: 7, startColumn: 3 });
    expect(resource?.source.fields["/spec/template/spec/containers/0"]?.value.startLine).toBe(11);
  });

  // Fields are located only when asked for, from the document as it was read: the same spans as
  // locating each path in the text, through anchors, merge keys and Lists.
  it.each([
    [
      "a Deployment",
      `${"apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 2\n"}${'  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests: { cpu: 250m, memory: 256Mi }\n            limits:\n              memory: "512Mi"\n'}`,
    ],
    [
      "anchors and a merge key",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests: &requests\n              cpu: 100m\n              memory: 1Gi\n            limits: &limits\n              cpu: 1\n        - name: sidecar\n          resources:\n            requests:\n              <<: *requests\n              memory: 2Gi\n            limits: *limits\n",
    ],
    [
      "a List",
      "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: batch/v1\n    kind: CronJob\n    metadata: { name: nightly }\n    spec:\n      schedule: '0 2 * * *'\n      suspend: false\n      jobTemplate:\n        spec:\n          template:\n            spec:\n              containers:\n                - name: job\n                  resources: { requests: { cpu: '2' } }\n  - apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: { name: nightly }\n    spec:\n      scaleTargetRef: { kind: Deployment, name: web }\n      minReplicas: 2\n      maxReplicas: 5\n",
    ],
  ])("locates every field it read in %s as locating its path does", (_, text) => {
    const file = "k8s/app.yaml";
    const resources = parseLinked(text, PROD, file).resources;
    const yaml = new YamlFile(file, text);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      const { index, path: root } = resource.source.document ?? { index: 0, path: [] };
      const fields = Object.entries(resource.source.fields);
      expect(fields.length).toBeGreaterThan(2);
      for (const [pointer, field] of fields) {
        const node = yaml.documents[index]?.locate([...root, ...pathOf(pointer)]);
        expect(node, pointer).toBeDefined();
        expect([field.value, field.key, field.viaAlias], pointer).toEqual([
          node?.value,
          node?.key,
          node?.viaAlias || undefined,
        ]);
      }
    }
    const api = resources.find((r) => r.name === "api");
    if (api) {
      const fields = api.source.fields;
      expect(fields["/spec/template/spec/containers/1/resources/requests/cpu"]?.viaAlias).toBe(true);
      expect(fields["/spec/template/spec/containers/1/resources/limits/cpu"]?.viaAlias).toBe(true);
      expect(fields["/spec/template/spec/containers/1/resources/requests/memory"]?.viaAlias).toBeUndefined();
      // The anchor itself is shared too: editing the app's requests edits what the sidecar merges in.
      expect(fields["/spec/template/spec/containers/0/resources/requests/cpu"]?.viaAlias).toBe(true);
      expect(fields["/spec/template/spec/containers/0/resources"]?.viaAlias).toBeUndefined();
    }
  });
});
