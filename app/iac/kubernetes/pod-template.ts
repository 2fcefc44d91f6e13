import { pointerOf } from "../../model/pointer.ts";
import type { AmountBasis, Amounts, ContainerDemand } from "../../model/resource.ts";
import type { YamlPath } from "../yaml/yaml-file.ts";
import type { ManifestReader } from "./manifest-reader.ts";
import { milliValue, type Quantity, unitValue } from "./quantity.ts";

/** Requests beyond these are typos, not plans: reported and left out of the estimate. */
const ABSURD_CPU_MILLIS = 1_024_000n;
const ABSURD_MEMORY_BYTES = 2n ** 46n; // 64 TiB
const ABSURD_GPUS = 64n;

type PodTemplate = {
  containers: ContainerDemand[];
  overhead: Partial<Amounts>;
  podRequests: Partial<Amounts>;
};

/** Reads the containers of a pod spec at `specPath` (e.g. spec.template.spec). */
export function readPodSpec(reader: ManifestReader, specPath: YamlPath): PodTemplate {
  const containers: ContainerDemand[] = [];
  for (const list of ["initContainers", "containers"] as const) {
    const kind = reader.kind([...specPath, list]);
    if (kind === undefined || (kind === "scalar" && reader.value([...specPath, list]) === null)) continue;
    if (kind !== "sequence") {
      reader.report([...specPath, list], "error", `${list} must be a list; ignored`);
      continue;
    }
    const count = reader.count([...specPath, list]);
    for (let index = 0; index < count; index++) {
      containers.push(readContainer(reader, [...specPath, list, index], list));
    }
  }
  if (!containers.some((c) => c.role === "app")) {
    reader.report(specPath, "warning", "the pod spec has no containers: Kubernetes would reject it");
  }
  return {
    containers,
    overhead: readAmounts(reader, [...specPath, "overhead"]),
    podRequests: readAmounts(reader, [...specPath, "resources", "requests"]),
  };
}

function readContainer(
  reader: ManifestReader,
  path: YamlPath,
  list: "initContainers" | "containers",
): ContainerDemand {
  reader.record(path);
  const name = reader.string([...path, "name"]) ?? `#${String(path.at(-1))}`;
  const restartable = list === "initContainers" && reader.string([...path, "restartPolicy"]) === "Always";
  const resources = [...path, "resources"];
  const requests = readAmounts(reader, [...resources, "requests"]);
  const limits = readAmounts(reader, [...resources, "limits"]);
  reader.record(resources);
  for (const resource of ["cpu", "memory"] as const) {
    const request = resource === "cpu" ? requests.cpuMillis : requests.memoryBytes;
    const limit = resource === "cpu" ? limits.cpuMillis : limits.memoryBytes;
    if (request !== undefined && limit !== undefined && request > limit) {
      reader.report(
        [...path, "resources", "requests", resource],
        "error",
        `container "${name}": the ${resource} request is above its limit; Kubernetes would reject the pod`,
      );
    }
  }
  const effective = {
    cpuMillis: requests.cpuMillis ?? limits.cpuMillis ?? 0,
    memoryBytes: requests.memoryBytes ?? limits.memoryBytes ?? 0,
    // Extended resources (GPUs) are set as limits; the request always equals the limit.
    gpus: limits.gpus ?? requests.gpus ?? 0,
  };
  return {
    name,
    role: list === "containers" ? "app" : restartable ? "sidecar" : "init",
    pointer: pointerOf(path),
    requests,
    limits,
    effective,
    basis: {
      cpu: basisOf(requests.cpuMillis, limits.cpuMillis),
      memory: basisOf(requests.memoryBytes, limits.memoryBytes),
    },
  };
}

function basisOf(request: number | undefined, limit: number | undefined): AmountBasis {
  if (request !== undefined) return "request";
  return limit === undefined ? "none" : "limit";
}

/** Reads `cpu`, `memory` and any `*\/gpu` quantity of a requests/limits map. */
export function readAmounts(reader: ManifestReader, path: YamlPath): Partial<Amounts> {
  const kind = reader.kind(path);
  const amounts: Partial<Amounts> = {};
  if (kind === undefined || (kind === "scalar" && reader.value(path) === null)) return amounts;
  if (kind !== "mapping") {
    reader.report(path, "error", "resource amounts must be a map of resource name to quantity; ignored");
    return amounts;
  }
  reader.record(path);
  const cpuPath = [...path, "cpu"];
  const cpu = checked(reader, cpuPath, reader.quantity(cpuPath), milliValue, ABSURD_CPU_MILLIS);
  const memoryPath = [...path, "memory"];
  const memory = checked(reader, memoryPath, reader.quantity(memoryPath), unitValue, ABSURD_MEMORY_BYTES);
  if (cpu !== undefined) amounts.cpuMillis = cpu;
  if (memory !== undefined) amounts.memoryBytes = memory;
  const gpuKey = reader.keys(path).find((key) => /(^|\/)gpu$/.test(key));
  if (gpuKey) {
    const gpuPath = [...path, gpuKey];
    const gpus = checked(reader, gpuPath, reader.quantity(gpuPath), unitValue, ABSURD_GPUS);
    if (gpus !== undefined) amounts.gpus = gpus;
  }
  return amounts;
}

function checked(
  reader: ManifestReader,
  path: YamlPath,
  quantity: Quantity | undefined,
  read: (q: Quantity) => bigint,
  absurd: bigint,
): number | undefined {
  if (quantity === undefined) return undefined;
  const value = read(quantity);
  if (value <= absurd) return Number(value);
  reader.report(
    path,
    "error",
    `"${quantity.text}" is absurdly large for ${String(path.at(-1))}; not estimated`,
  );
  return undefined;
}

/**
 * A pod's effective requests, as the scheduler computes them (k8s.io/component-helpers resource
 * PodRequests): app containers and sidecars add up; each init container needs its own request plus
 * the sidecars started before it; the pod needs the larger of the two; overhead is added; pod-level
 * requests, where set, replace the container sum.
 */
export function podAmounts(template: PodTemplate): Amounts {
  const pod: Amounts = { cpuMillis: 0, memoryBytes: 0, gpus: 0 };
  const sidecarsSoFar: Amounts = { cpuMillis: 0, memoryBytes: 0, gpus: 0 };
  const initPeak: Amounts = { cpuMillis: 0, memoryBytes: 0, gpus: 0 };
  for (const container of template.containers) {
    if (container.role === "app") add(pod, container.effective);
    else if (container.role === "sidecar") {
      add(pod, container.effective);
      add(sidecarsSoFar, container.effective);
      max(initPeak, sidecarsSoFar);
    } else {
      const step = { ...container.effective };
      add(step, sidecarsSoFar);
      max(initPeak, step);
    }
  }
  max(pod, initPeak);
  for (const key of KEYS) {
    const podLevel = template.podRequests[key];
    if (podLevel !== undefined) pod[key] = podLevel;
    pod[key] += template.overhead[key] ?? 0;
  }
  return pod;
}

const KEYS = ["cpuMillis", "memoryBytes", "gpus"] as const;

function add(target: Amounts, amounts: Amounts): void {
  for (const key of KEYS) target[key] += amounts[key];
}

function max(target: Amounts, amounts: Amounts): void {
  for (const key of KEYS) target[key] = Math.max(target[key], amounts[key]);
}
