import type { Owner } from "./owners.ts";
import type { PrometheusClient, Sample } from "./prometheus.ts";
import { anyOf, quote, STAT, selector, union } from "./promql.ts";
import { type MeasuredEnergy, type TelemetryWindow, workloadKey } from "./types.ts";

export type KeplerGeneration = "kepler-0.7" | "kepler-0.10";

/** Joules per pod over the window, and how often each pod's counter went backwards. */
type PodEnergy = { namespace: string; pod: string; joules: number; resets: number };

/**
 * Kepler's energy per pod over the window, from whichever generation the Prometheus has:
 * 0.7.x `kepler_container_joules_total` (labels `container_namespace`, `pod_name`) or the 0.10+
 * rewrite's `kepler_pod_cpu_joules_total{zone="package"}` (`pod_namespace`, `pod_name`), told
 * apart by `kepler_build_info`'s version, else by the series present. One query; undefined when the
 * cluster has no Kepler (most managed clusters: no RAPL on their VMs).
 */
export async function fetchKepler(
  client: PrometheusClient,
  namespaces: string[],
  cluster: { label: string; value: string } | undefined,
  window: TelemetryWindow,
): Promise<{ generation: KeplerGeneration; pods: PodEnergy[] } | undefined> {
  const c = cluster ? `${cluster.label}=${quote(cluster.value)}` : undefined;
  const ns = quote(anyOf(namespaces));
  const w = `${window.seconds}s`;
  const v010 = `kepler_pod_cpu_joules_total${selector(['zone="package"', `pod_namespace=~${ns}`, c])}`;
  const v07 = `kepler_container_joules_total${selector([`container_namespace=~${ns}`, c])}`;
  const samples = await client.instant(
    union({
      build: `max by (version) (kepler_build_info${selector([c])})`,
      "j0.10": `sum by (pod_namespace, pod_name) (increase(${v010}[${w}]))`,
      "r0.10": `sum by (pod_namespace, pod_name) (resets(${v010}[${w}]))`,
      "j0.7": `sum by (container_namespace, pod_name) (increase(${v07}[${w}]))`,
      "r0.7": `sum by (container_namespace, pod_name) (resets(${v07}[${w}]))`,
    }),
    window.end,
  );
  const generation = generationOf(samples);
  if (!generation) return undefined;
  const suffix = generation === "kepler-0.7" ? "0.7" : "0.10";
  const pods = new Map<string, PodEnergy>();
  for (const { labels, value } of samples) {
    const stat = labels[STAT] ?? "";
    if (!stat.endsWith(suffix) || !Number.isFinite(value)) continue;
    const namespace = labels.pod_namespace ?? labels.container_namespace ?? "";
    const pod = labels.pod_name ?? "";
    const key = `${namespace}/${pod}`;
    const entry = pods.get(key) ?? { namespace, pod, joules: 0, resets: 0 };
    pods.set(key, entry);
    if (stat.startsWith("j")) entry.joules += value;
    else entry.resets += value;
  }
  return { generation, pods: [...pods.values()] };
}

function generationOf(samples: Sample[]): KeplerGeneration | undefined {
  const version = samples.find((s) => s.labels[STAT] === "build")?.labels.version;
  const match = version ? /^v?0\.(\d+)/.exec(version) : null;
  if (match) return Number(match[1]) >= 10 ? "kepler-0.10" : "kepler-0.7";
  if (samples.some((s) => s.labels[STAT] === "j0.10")) return "kepler-0.10";
  if (samples.some((s) => s.labels[STAT] === "j0.7")) return "kepler-0.7";
  return undefined;
}

/**
 * A workload's measured energy from its pods' readings, checked: a counter that went backwards (a
 * glitch: a restarted container is a new series) or a pod drawing more on average than its node's
 * power envelope (vCPUs × CCF's maximum watts per vCPU) makes the reading implausible.
 */
export function measuredEnergy(
  generation: KeplerGeneration,
  pods: PodEnergy[],
  window: TelemetryWindow,
  nodeMaxWatts: number | undefined,
): MeasuredEnergy {
  const joules = pods.reduce((sum, p) => sum + p.joules, 0);
  const energy: MeasuredEnergy = { source: generation, kWh: joules / 3.6e6 };
  const reset = pods.find((p) => p.resets > 0);
  if (reset) {
    energy.implausible = `the energy counter of pod ${reset.pod} went backwards ${reset.resets} time(s)`;
    return energy;
  }
  const hungry =
    nodeMaxWatts === undefined ? undefined : pods.find((p) => p.joules / window.seconds > nodeMaxWatts);
  if (hungry && nodeMaxWatts !== undefined) {
    const watts = Math.round(hungry.joules / window.seconds);
    energy.implausible = `pod ${hungry.pod} drew ${watts} W on average, more than its node can (${Math.round(nodeMaxWatts)} W)`;
  }
  return energy;
}

/** Pods grouped by their workload's key (see {@link workloadKey}). */
export function byWorkload<T extends { namespace: string; pod: string }>(
  pods: T[],
  ownerOf: (namespace: string, pod: string) => Owner,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const pod of pods) {
    const owner = ownerOf(pod.namespace, pod.pod);
    const key = workloadKey(pod.namespace, owner.kind, owner.name);
    const group = groups.get(key) ?? [];
    groups.set(key, group);
    group.push(pod);
  }
  return groups;
}
