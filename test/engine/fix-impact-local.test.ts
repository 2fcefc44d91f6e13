import { afterEach, describe, expect, it } from "vitest";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import { evaluate, totalsChange } from "../../app/engine/evaluate.ts";
import type { TextEdit } from "../../app/engine/finding.ts";
import { editedTexts } from "../../app/engine/fix-edits.ts";
import { impactMeter, replacedFiles, wholeEnvironmentMeter } from "../../app/engine/fix-impact.ts";
import { localMeter } from "../../app/engine/fix-impact-local.ts";
import type { Evaluation, Totals } from "../../app/engine/types.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { evaluateFiles, oneEnvironment, PROD } from "../helpers/evaluate.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

type Requests = { cpu?: string; memory?: string };

const requestsOf = ({ cpu, memory }: Requests) =>
  [cpu && `cpu: ${cpu}`, memory && `memory: ${memory}`].filter(Boolean).join(", ");

const deployment = (
  name: string,
  namespace: string,
  replicas: number,
  requests: Requests,
) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/shop/${name}:2.3.1
          resources: {requests: {${requestsOf(requests)}}}
`;

const statefulSet = (
  name: string,
  namespace: string,
  storage: string,
  storageClass?: string,
) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: 2
  serviceName: ${name}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: ${name}
          image: postgres:16.4
          resources: {requests: {cpu: 250m, memory: 1Gi}}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
${storageClass ? `        storageClassName: ${storageClass}\n` : ""}        resources: {requests: {storage: ${storage}}}
`;

const autoscaler = (target: string, namespace: string, min: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${target}, namespace: ${namespace}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: ${min}
  maxReplicas: 12
`;

const limitRange = (namespace: string, cpu: string) => `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: ${namespace}}
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: ${cpu}, memory: 384Mi}
`;

const storageClass = (name: string, type: string, isDefault: boolean) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
${isDefault ? '  annotations: {storageclass.kubernetes.io/is-default-class: "true"}\n' : ""}provisioner: ebs.csi.aws.com
parameters: {type: ${type}}
`;

const daemonSet = (name: string, namespace: string, cpu: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: ${name}
          image: fluent/fluent-bit:3.1
          resources: {requests: {cpu: ${cpu}, memory: 128Mi}}
`;

const ingress = (name: string, group?: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop
${group ? `  annotations: {alb.ingress.kubernetes.io/group.name: ${group}}\n` : ""}spec:
  ingressClassName: alb
  defaultBackend: {service: {name: ${name}, port: {number: 80}}}
`;

const documents = (...texts: string[]) => texts.join("---\n");

/** One edit of `file` that makes its text `to`: the part between their common prefix and suffix. */
function editTo(files: Record<string, string>, file: string, to: string): TextEdit {
  const from = files[file] ?? "";
  let start = 0;
  while (start < Math.min(from.length, to.length) && from[start] === to[start]) start++;
  let tail = 0;
  while (tail < Math.min(from.length, to.length) - start && from.at(-1 - tail) === to.at(-1 - tail)) tail++;
  return { file, start, end: from.length - tail, text: to.slice(start, to.length - tail) };
}

const identity = (evaluation: Evaluation) => evaluation;

/** The local measure (undefined where it falls back) and the whole-environment one of some edits. */
function measures(evaluation: Evaluation, files: Record<string, string>, edits: TextEdit[]) {
  const replaced = replacedFiles(evaluation)(
    editedTexts(edits, (path) => files[path]),
    edits,
  );
  if (!replaced) throw new Error("an edited file was not parsed");
  return {
    local: localMeter(evaluation, identity)(replaced),
    whole: wholeEnvironmentMeter(evaluation, identity)(replaced) as Totals,
  };
}

function expectSame(local: Totals, whole: Totals): void {
  expect(local.monthlyCost).toBeCloseTo(whole.monthlyCost, 6);
  expect(local.monthlyCarbonKg).toBeCloseTo(whole.monthlyCarbonKg, 6);
}

const WEB = deployment("web", "shop", 3, { cpu: "500m", memory: "512Mi" });
const BASE: Record<string, string> = {
  "shop/web.yaml": documents(WEB, deployment("cart", "shop", 2, { cpu: "1", memory: "1Gi" })),
  "shop/hpa.yaml": autoscaler("web", "shop", 2),
  "shop/limits.yaml": limitRange("shop", "300m"),
  "shop/bare.yaml": deployment("bare", "shop", 2, { memory: "256Mi" }),
  "data/db.yaml": statefulSet("db", "data", "100Gi"),
  "cluster/classes.yaml": documents(
    storageClass("fast", "io1", false),
    storageClass("standard", "gp3", true),
  ),
  "cluster/logs.yaml": daemonSet("logs", "kube-system", "100m"),
  "shop/ingress-a.yaml": ingress("storefront", "shop"),
  "shop/ingress-b.yaml": ingress("checkout", "shop"),
  "shop/ingress-c.yaml": ingress("admin"),
  "shop/queue.yaml": documents(
    deployment("queue", "shop", 4, { cpu: "2", memory: "4Gi" }),
    autoscaler("queue", "shop", 3),
  ),
};

const CASES: {
  case: string;
  file: string;
  to: (text: string) => string;
  extra?: Record<string, string>;
  /** Files no environment claims: a Deployment's copies in two files are two objects. */
  unclaimed?: boolean;
  local: boolean;
}[] = [
  {
    case: "a Deployment's CPU, an autoscaler elsewhere scaling it",
    file: "shop/web.yaml",
    to: (text) => text.replace("cpu: 500m", "cpu: 250m"),
    local: true,
  },
  {
    case: "a Deployment's replicas an autoscaler elsewhere overrides (saves nothing)",
    file: "shop/web.yaml",
    to: (text) => text.replace("replicas: 3", "replicas: 9"),
    local: true,
  },
  {
    case: "the other Deployment of the file",
    file: "shop/web.yaml",
    to: (text) => text.replace("replicas: 2", "replicas: 1"),
    local: true,
  },
  {
    case: "a memory request where a LimitRange gives the CPU default",
    file: "shop/bare.yaml",
    to: (text) => text.replace("memory: 256Mi", "memory: 128Mi"),
    local: true,
  },
  {
    case: "a claim of the default StorageClass",
    file: "data/db.yaml",
    to: (text) => text.replace("storage: 100Gi", "storage: 40Gi"),
    local: true,
  },
  {
    case: "a DaemonSet on the environment's nodes",
    file: "cluster/logs.yaml",
    to: (text) => text.replace("cpu: 100m", "cpu: 50m"),
    local: true,
  },
  {
    case: "a Deployment's CPU, its autoscaler beside it",
    file: "shop/queue.yaml",
    to: (text) => text.replace("cpu: 2", "cpu: 1500m"),
    local: true,
  },
  {
    case: "the autoscaler beside a Deployment",
    file: "shop/queue.yaml",
    to: (text) => text.replace("minReplicas: 3", "minReplicas: 2"),
    local: true,
  },
  {
    case: "an autoscaler of a Deployment in another file",
    file: "shop/hpa.yaml",
    to: (text) => text.replace("minReplicas: 2", "minReplicas: 1"),
    local: true,
  },
  {
    case: "an autoscaler made to scale another Deployment",
    file: "shop/hpa.yaml",
    to: (text) => text.replace("name: web}", "name: cart}"),
    local: true,
  },
  {
    case: "a Deployment two autoscalers scale, the later one beside it",
    file: "shop/queue.yaml",
    to: (text) => text.replace("cpu: 2", "cpu: 1"),
    extra: {
      "shop/a-burst.yaml": autoscaler("queue", "shop", 5).replace("{name: queue,", "{name: queue-burst,"),
    },
    local: true,
  },
  {
    case: "an autoscaler of a Deployment two files name",
    file: "shop/hpa.yaml",
    to: (text) => text.replace("minReplicas: 2", "minReplicas: 5"),
    extra: { "shop/again.yaml": WEB },
    unclaimed: true,
    local: false,
  },
  {
    case: "the replicas of a Deployment whose CPU a LimitRange gives",
    file: "shop/bare.yaml",
    to: (text) => text.replace("replicas: 2", "replicas: 5"),
    local: true,
  },
  {
    case: "an Ingress of its own ALB",
    file: "shop/ingress-c.yaml",
    to: (text) => text.replace("port: {number: 80}", "port: {number: 8080}"),
    local: true,
  },
  {
    case: "an Ingress leaving its ALB group",
    file: "shop/ingress-b.yaml",
    to: (text) => text.replace(/ {2}annotations: .*\n/, ""),
    local: false,
  },
  {
    case: "an Ingress joining an ALB group",
    file: "shop/ingress-c.yaml",
    to: () => ingress("admin", "shop"),
    local: false,
  },
  {
    case: "a Deployment another file also names, an autoscaler scaling the later one",
    file: "shop/again.yaml",
    to: (text) => text.replace("replicas: 3", "replicas: 1"),
    extra: { "shop/again.yaml": WEB },
    unclaimed: true,
    local: false,
  },
  {
    case: "an autoscaler that could not be read, completed",
    file: "shop/unread-hpa.yaml",
    to: (text) => `${text}  maxReplicas: 12\n`,
    extra: { "shop/unread-hpa.yaml": autoscaler("bare", "shop", 1).replace("  maxReplicas: 12\n", "") },
    local: false,
  },
  {
    case: "an edit that adds an autoscaler",
    file: "shop/bare.yaml",
    to: (text) => documents(text, autoscaler("bare", "shop", 1)),
    local: false,
  },
  {
    case: "the LimitRange's default",
    file: "shop/limits.yaml",
    to: (text) => text.replace("cpu: 300m", "cpu: 100m"),
    local: false,
  },
  {
    case: "the default StorageClass's type",
    file: "cluster/classes.yaml",
    to: (text) => text.replace("type: gp3", "type: io1"),
    local: false,
  },
  {
    case: "a Deployment renamed",
    file: "shop/bare.yaml",
    to: (text) => text.replaceAll("bare", "plain"),
    local: false,
  },
  {
    case: "a Deployment moved to another namespace",
    file: "shop/bare.yaml",
    to: (text) => text.replace("namespace: shop", "namespace: data"),
    local: false,
  },
  {
    case: "a Deployment declared twice (the copy counted)",
    file: "shop/web.yaml",
    to: (text) => text.replace("cpu: 500m", "cpu: 2"),
    extra: { "shop/again.yaml": WEB },
    local: false,
  },
  {
    case: "a Deployment declared twice (the copy not counted)",
    file: "shop/again.yaml",
    to: (text) => text.replace("cpu: 500m", "cpu: 2"),
    extra: { "shop/again.yaml": WEB },
    local: false,
  },
];

/** Files no environment claims, as a repository without environments has them. */
function evaluateUnclaimed(files: Record<string, string>): Evaluation {
  const environments = oneEnvironment(environmentBasis("", PROD));
  return evaluate(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    environments,
  );
}

describe("a fix's saving measured on the edited file's own resources", () => {
  it.each(CASES)("$case: the whole environment's figures", ({ file, to, extra, unclaimed, local }) => {
    const files = { ...extra, ...BASE };
    const evaluation = unclaimed ? evaluateUnclaimed(files) : evaluateFiles(files, PROD);
    const edits = [editTo(files, file, to(files[file] ?? ""))];
    const measured = measures(evaluation, files, edits);
    expect(measured.local !== undefined).toBe(local);
    if (measured.local) expectSame(measured.local, measured.whole);
    const impact = impactMeter(evaluation)(
      editedTexts(edits, (path) => files[path]),
      edits,
    );
    expect(impact).toEqual(measured.local ?? measured.whole);
  });

  it("measures edits of two files of one environment whole: an autoscaler and the Deployment it scales", () => {
    const evaluation = evaluateFiles(BASE, PROD);
    const edits = [
      editTo(
        BASE,
        "shop/hpa.yaml",
        (BASE["shop/hpa.yaml"] ?? "").replace("minReplicas: 2", "minReplicas: 4"),
      ),
      editTo(BASE, "shop/web.yaml", (BASE["shop/web.yaml"] ?? "").replace("cpu: 500m", "cpu: 2")),
    ];
    const measured = measures(evaluation, BASE, edits);
    expect(measured.local).toBeUndefined();
    expect(
      impactMeter(evaluation)(
        editedTexts(edits, (path) => BASE[path]),
        edits,
      ),
    ).toEqual(measured.whole);
  });

  it("leaves a settings file to the run's whole check", () => {
    const evaluation = evaluateFiles(BASE, PROD);
    const settings = new Map([["environments/test/greenops.yml", "cloud: aws\nregion: eu-west-1\n"]]);
    expect(impactMeter(evaluation)(settings)).toBeUndefined();
  });
});

/** A seeded generator (mulberry32): the same environments and edits on every run. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const NAMES = ["web", "api", "cart", "queue", "search", "mailer"];
const NAMESPACES = ["shop", "data"];
const CPUS = ["100m", "250m", "500m", "1", "2"];

/** A random document of the kinds linking reads. */
function randomDocument(pick: (below: number) => number): string {
  const name = NAMES[pick(NAMES.length)] as string;
  const namespace = NAMESPACES[pick(NAMESPACES.length)] as string;
  const cpu = CPUS[pick(CPUS.length)] as string;
  switch (pick(10)) {
    case 0:
      return autoscaler(name, namespace, 1 + pick(4));
    case 1:
      return limitRange(namespace, cpu);
    case 2:
      return storageClass(
        ["standard", "fast"][pick(2)] as string,
        ["gp2", "io1", "st1"][pick(3)] as string,
        pick(2) === 0,
      );
    case 3:
      return statefulSet(name, namespace, `${10 * (1 + pick(20))}Gi`, [undefined, "fast", "gp3"][pick(3)]);
    case 4:
      return daemonSet(`${name}-agent`, namespace, cpu);
    default:
      return deployment(
        name,
        namespace,
        1 + pick(6),
        pick(3) === 0 ? { memory: "1Gi" } : { cpu, memory: "1Gi" },
      );
  }
}

/** A random edit of a file's text: one document's figures, its name or namespace, an autoscaler's target, a document added or removed. */
function randomEdit(text: string, pick: (below: number) => number): string {
  const parts = text.split("---\n");
  const index = pick(parts.length);
  const part = parts[index] as string;
  switch (pick(12)) {
    case 0:
      parts.splice(index, 0, randomDocument(pick));
      break;
    case 1:
      if (parts.length > 1) parts.splice(index, 1);
      break;
    case 2:
      parts[index] = part.replace(/name: (\w+)/, (_, name) => `name: ${name}x`);
      break;
    case 3:
      parts[index] = part.replace(/namespace: \w+/, `namespace: ${NAMESPACES[pick(2)]}`);
      break;
    case 4:
      parts[index] = part.replace(/replicas: \d+/, `replicas: ${1 + pick(6)}`);
      break;
    case 5:
      parts[index] = part.replace(/storage: \d+Gi/, `storage: ${5 * (1 + pick(30))}Gi`);
      break;
    case 6:
      parts[index] = part.replace(/minReplicas: \d+/, `minReplicas: ${1 + pick(5)}`);
      break;
    case 7:
      parts[index] = part.replace(
        /kind: Deployment, name: \w+/,
        `kind: Deployment, name: ${NAMES[pick(NAMES.length)]}`,
      );
      break;
    default:
      parts[index] = part.replace(/cpu: \w+/, `cpu: ${CPUS[pick(CPUS.length)]}`);
  }
  return parts.join("---\n");
}

describe("a fix's saving measured locally, over random environments and edits", () => {
  it("equals the whole environment's measure, to the cent and gram, and falls back where it must", () => {
    const pick = random(20261205);
    const routes = { local: 0, saving: 0, whole: 0 };
    for (let run = 0; run < 600; run++) {
      const files: Record<string, string> = {};
      for (let f = 0; f < 2 + pick(4); f++) {
        const count = 1 + pick(3);
        files[`k8s/${f}.yaml`] = documents(...Array.from({ length: count }, () => randomDocument(pick)));
      }
      const evaluation = evaluateFiles(files, PROD);
      const file = `k8s/${pick(Object.keys(files).length)}.yaml`;
      const edit = editTo(files, file, randomEdit(files[file] ?? "", pick));
      const { local, whole } = measures(evaluation, files, [edit]);
      routes[local ? "local" : "whole"]++;
      if (local && Math.abs(local.monthlyCost) > 0.01) routes.saving++;
      if (local) expectSame(local, whole);
    }
    // Measured both ways (317 local, 101 of them saving something, 283 whole): the test compares figures.
    expect(routes.local).toBeGreaterThan(250);
    expect(routes.saving).toBeGreaterThan(80);
    expect(routes.whole).toBeGreaterThan(200);
  });
});

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
