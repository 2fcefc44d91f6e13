import { describe, expect, it } from "vitest";
import { evaluate } from "../../app/engine/evaluate.ts";
import { editedTexts } from "../../app/engine/fix-edits.ts";
import { impactMeter } from "../../app/engine/fix-impact.ts";
import type { Evaluation } from "../../app/engine/types.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { evaluateFiles, oneEnvironment, PROD } from "../helpers/evaluate.ts";
import {
  autoscaler,
  daemonSet,
  deployment,
  documents,
  editTo,
  expectSame,
  ingress,
  limitRange,
  measures,
  statefulSet,
  storageClass,
} from "../helpers/fix-impact.ts";

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
