import { type Owner, ownerResolver } from "./owners.ts";
import type { PrometheusClient, Sample, Series } from "./prometheus.ts";
import { anyOf, quote, STAT, selector, union } from "./promql.ts";
import { type ContainerUsage, type TelemetryWindow, type WorkloadUsage, workloadKey } from "./types.ts";

/** What to ask one Prometheus: the namespaces under review, its cluster, the CPU quantiles policies need. */
export type UsageScope = {
  namespaces: string[];
  cluster?: { label: string; value: string } | undefined;
  quantiles: number[];
  window: TelemetryWindow;
};

const DAY = 86_400;
const RATE = "5m";

/**
 * Reads cAdvisor usage and kube-state-metrics owners, replicas and terminations of every container in
 * the namespaces, in five queries whatever the number of containers, and groups them by workload. A
 * container's history runs from its first working-set sample in the window to its last (any pod).
 */
export async function fetchUsage(
  client: PrometheusClient,
  scope: UsageScope,
): Promise<{ workloads: Map<string, WorkloadUsage>; ownerOf: (namespace: string, pod: string) => Owner }> {
  const { window } = scope;
  const bucket = Math.min(DAY, window.seconds);
  const buckets = Math.max(1, Math.floor(window.seconds / bucket));
  const q = queries(scope, bucket);
  const [statistics, moreStatistics, memory, owners, terminations] = await Promise.all([
    client.instant(q.statistics[0], window.end),
    client.instant(q.statistics[1], window.end),
    client.range(q.memory, window.end - (buckets - 1) * bucket, window.end, bucket),
    client.instant(q.owners, window.end),
    client.instant(q.terminations, window.end),
  ]);
  const workloads = new Map<string, WorkloadUsage>();
  const tallies = new Map<ContainerUsage, Tally>();
  const ownerOf = ownerResolver(owners);
  const containerOf = (labels: Record<string, string>) => {
    const usage = container(workloads, labels, ownerOf);
    const tally = tallies.get(usage) ?? { usage, oom: false, restarts: 0, at: 0, first: 0, last: 0 };
    tallies.set(usage, tally);
    return tally;
  };
  for (const series of memory) addMemory(containerOf(series.labels), series, bucket);
  for (const sample of [...statistics, ...moreStatistics]) addStatistic(containerOf(sample.labels), sample);
  for (const sample of terminations) addTermination(containerOf(sample.labels), sample);
  addReplicas(workloads, owners);
  return { workloads, ownerOf };
}

function queries(
  scope: UsageScope,
  bucket: number,
): { statistics: [string, string] } & Record<"memory" | "owners" | "terminations", string> {
  const { window } = scope;
  const namespaces = `namespace=~${quote(anyOf(scope.namespaces))}`;
  const cluster = scope.cluster ? `${scope.cluster.label}=${quote(scope.cluster.value)}` : undefined;
  const containers = selector([namespaces, cluster, 'container!=""', 'container!="POD"']);
  const objects = selector([namespaces, cluster]);
  const w = `${window.seconds}s`;
  const rate = `max by (namespace, pod, container) (rate(container_cpu_usage_seconds_total${containers}[${RATE}]))`;
  const over = (fn: string) => `${fn}((${rate})[${w}:${RATE}])`;
  const byContainer = "max by (namespace, pod, container)";
  // When each container was seen, to the 5-minute step (`time()` where a sample is: timestamp() of a
  // selector in a subquery is evaluated step by step, some 50 times slower).
  const sampled = `(container_memory_working_set_bytes${containers} * 0 + time())[${w}:${RATE}]`;
  const statistics = Object.entries({
    ...Object.fromEntries(
      scope.quantiles.map((q) => [`q${q}`, `quantile_over_time(${q}, (${rate})[${w}:${RATE}])`]),
    ),
    max: over("max_over_time"),
    average: over("avg_over_time"),
    samples: over("count_over_time"),
    first: `min by (namespace, pod, container) (min_over_time(${sampled}))`,
    last: `${byContainer} (max_over_time(${sampled}))`,
  });
  // Every statistic is a subquery over the whole window, evaluated one after the other within a
  // query: two queries of half each run side by side on the server's cores.
  const half = Math.ceil(statistics.length / 2);
  return {
    statistics: [
      union(Object.fromEntries(statistics.slice(0, half))),
      union(Object.fromEntries(statistics.slice(half))),
    ],
    memory: `${byContainer} (max_over_time(container_memory_working_set_bytes${containers}[${bucket}s]))`,
    owners: union({
      pod: `max by (namespace, pod, owner_kind, owner_name) (max_over_time(kube_pod_owner${objects}[${w}]))`,
      replicaset: `max by (namespace, replicaset, owner_kind, owner_name) (max_over_time(kube_replicaset_owner${objects}[${w}]))`,
      job: `max by (namespace, job_name, owner_kind, owner_name) (max_over_time(kube_job_owner${objects}[${w}]))`,
      deployment: `avg by (namespace, deployment) (avg_over_time(kube_deployment_spec_replicas${objects}[${w}]))`,
      statefulset: `avg by (namespace, statefulset) (avg_over_time(kube_statefulset_replicas${objects}[${w}]))`,
    }),
    terminations: union({
      oom: `${byContainer} (max_over_time(kube_pod_container_status_last_terminated_reason${selector([namespaces, cluster, 'reason="OOMKilled"'])}[${w}]))`,
      restarts: `${byContainer} (max_over_time(kube_pod_container_status_restarts_total${objects}[${w}]) - min_over_time(kube_pod_container_status_restarts_total${objects}[${w}]))`,
      at: `${byContainer} (max_over_time(kube_pod_container_status_last_terminated_timestamp${objects}[${w}]))`,
    }),
  };
}

/** A container's usage while it is assembled: the termination figures and the sample times so far. */
type Tally = {
  usage: ContainerUsage;
  oom: boolean;
  restarts: number;
  at: number;
  first: number;
  last: number;
};

/** The usage record of one container of a pod's workload (from a sample's labels), created on first sight. */
function container(
  workloads: Map<string, WorkloadUsage>,
  labels: Record<string, string>,
  ownerOf: (namespace: string, pod: string) => Owner,
): ContainerUsage {
  const { namespace = "", pod = "", container: name = "" } = labels;
  const owner = ownerOf(namespace, pod);
  const key = workloadKey(namespace, owner.kind, owner.name);
  let workload = workloads.get(key);
  if (!workload) {
    workload = { namespace, kind: owner.kind, name: owner.name, pods: [], replicaSets: [], containers: {} };
    workloads.set(key, workload);
  }
  if (!workload.pods.includes(pod)) workload.pods.push(pod);
  if (owner.replicaSet && !workload.replicaSets.includes(owner.replicaSet))
    workload.replicaSets.push(owner.replicaSet);
  workload.containers[name] ??= { historySeconds: 0 };
  return workload.containers[name];
}

/** Daily peaks of every pod, merged: a day's peak is the highest of its pods. */
function addMemory({ usage }: Tally, series: Series, bucket: number): void {
  const peaks = new Map((usage.memory?.dailyPeaks ?? []).map((p) => [p.day, p.bytes]));
  for (const { at, value } of series.points) {
    if (!Number.isFinite(value)) continue;
    const day = new Date((at - bucket) * 1000).toISOString().slice(0, 10);
    peaks.set(day, Math.max(peaks.get(day) ?? 0, value));
  }
  const dailyPeaks = [...peaks]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, bytes]) => ({ day, bytes }));
  const top = dailyPeaks.reduce((best, p) => (p.bytes >= best.bytes ? p : best), { day: "", bytes: 0 });
  usage.memory = { peakBytes: top.bytes, peakDay: top.day, dailyPeaks };
}

/**
 * Per-pod statistics merged conservatively: the highest quantile and peak of any pod (as KRR does); the
 * history from the first sample of any pod to the last.
 */
function addStatistic(tally: Tally, sample: Sample): void {
  const stat = sample.labels[STAT] ?? "";
  if (!Number.isFinite(sample.value)) return;
  if (stat === "first" || stat === "last") {
    if (stat === "first") tally.first = tally.first ? Math.min(tally.first, sample.value) : sample.value;
    else tally.last = Math.max(tally.last, sample.value);
    tally.usage.historySeconds = tally.first && tally.last > tally.first ? tally.last - tally.first : 0;
    return;
  }
  const { usage } = tally;
  usage.cpu ??= { quantiles: {}, max: 0, average: 0, samples: 0 };
  const cpu = usage.cpu;
  if (stat.startsWith("q")) {
    const q = stat.slice(1);
    cpu.quantiles[q] = Math.max(cpu.quantiles[q] ?? 0, sample.value);
  } else if (stat === "max") cpu.max = Math.max(cpu.max, sample.value);
  else if (stat === "average") cpu.average = Math.max(cpu.average, sample.value);
  else if (stat === "samples") cpu.samples += sample.value;
}

/** Restarts and the last termination time of every pod, counted once a pod's last termination was OOMKilled. */
function addTermination(tally: Tally, sample: Sample): void {
  const stat = sample.labels[STAT];
  if (!Number.isFinite(sample.value)) return;
  if (stat === "oom" && sample.value >= 1) tally.oom = true;
  if (stat === "restarts") tally.restarts += Math.round(sample.value);
  if (stat === "at") tally.at = Math.max(tally.at, sample.value);
  if (!tally.oom) return;
  tally.usage.oom = {
    restarts: tally.restarts,
    ...(tally.at > 0 ? { lastAt: new Date(tally.at * 1000).toISOString() } : {}),
  };
}

function addReplicas(workloads: Map<string, WorkloadUsage>, owners: Sample[]): void {
  for (const { labels, value } of owners) {
    const stat = labels[STAT];
    if (stat !== "deployment" && stat !== "statefulset") continue;
    const kind = stat === "deployment" ? "Deployment" : "StatefulSet";
    const workload = workloads.get(workloadKey(labels.namespace ?? "", kind, labels[stat] ?? ""));
    if (workload && Number.isFinite(value)) workload.replicas = value;
  }
}
