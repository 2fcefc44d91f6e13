/** Manifests of the kinds linking reads, and the two measures of a fix's saving the fix-impact tests compare. */
import { expect } from "vitest";
import type { TextEdit } from "../../app/engine/finding.ts";
import { editedTexts } from "../../app/engine/fix-edits.ts";
import { replacedFiles, wholeEnvironmentMeter } from "../../app/engine/fix-impact.ts";
import { localMeter } from "../../app/engine/fix-impact-local.ts";
import type { Evaluation, Totals } from "../../app/engine/types.ts";

type Requests = { cpu?: string; memory?: string };

const requestsOf = ({ cpu, memory }: Requests) =>
  [cpu && `cpu: ${cpu}`, memory && `memory: ${memory}`].filter(Boolean).join(", ");

export const deployment = (
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

export const statefulSet = (
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

export const autoscaler = (target: string, namespace: string, min: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${target}, namespace: ${namespace}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: ${min}
  maxReplicas: 12
`;

export const limitRange = (namespace: string, cpu: string) => `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: ${namespace}}
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: ${cpu}, memory: 384Mi}
`;

export const storageClass = (name: string, type: string, isDefault: boolean) => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}
${isDefault ? '  annotations: {storageclass.kubernetes.io/is-default-class: "true"}\n' : ""}provisioner: ebs.csi.aws.com
parameters: {type: ${type}}
`;

export const daemonSet = (name: string, namespace: string, cpu: string) => `apiVersion: apps/v1
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

export const ingress = (name: string, group?: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop
${group ? `  annotations: {alb.ingress.kubernetes.io/group.name: ${group}}\n` : ""}spec:
  ingressClassName: alb
  defaultBackend: {service: {name: ${name}, port: {number: 80}}}
`;

export const documents = (...texts: string[]) => texts.join("---\n");

/** One edit of `file` that makes its text `to`: the part between their common prefix and suffix. */
export function editTo(files: Record<string, string>, file: string, to: string): TextEdit {
  const from = files[file] ?? "";
  let start = 0;
  while (start < Math.min(from.length, to.length) && from[start] === to[start]) start++;
  let tail = 0;
  while (tail < Math.min(from.length, to.length) - start && from.at(-1 - tail) === to.at(-1 - tail)) tail++;
  return { file, start, end: from.length - tail, text: to.slice(start, to.length - tail) };
}

const identity = (evaluation: Evaluation) => evaluation;

/** The local measure (undefined where it falls back) and the whole-environment one of some edits. */
export function measures(evaluation: Evaluation, files: Record<string, string>, edits: TextEdit[]) {
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

export function expectSame(local: Totals, whole: Totals): void {
  expect(local.monthlyCost).toBeCloseTo(whole.monthlyCost, 6);
  expect(local.monthlyCarbonKg).toBeCloseTo(whole.monthlyCarbonKg, 6);
}
