import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { HourlyIntensity } from "../engine/intensity.ts";

/** What live telemetry says about the workloads under review: the input of telemetry policies. */

export type TelemetryWindow = { label: string; seconds: number /** Unix seconds. */; end: number };

export type CpuUsage = {
  /** Cores at each quantile asked for, keyed by the quantile ("0.95"). */
  quantiles: Record<string, number>;
  max: number;
  average: number;
  /** 5-minute rate samples behind the figures. */
  samples: number;
};

export type MemoryUsage = {
  /** Peak working set, bytes. */
  peakBytes: number;
  /** The day (UTC, YYYY-MM-DD) of the peak. */
  peakDay: string;
  /** Each day's peak, oldest first. */
  dailyPeaks: { day: string; bytes: number }[];
};

export type OomEvidence = {
  /** Restarts in the window of the containers whose last termination was OOMKilled. */
  restarts: number;
  /** When such a container last terminated (ISO time), when kube-state-metrics exports it. */
  lastAt?: string;
};

export type ContainerUsage = {
  cpu?: CpuUsage;
  memory?: MemoryUsage;
  oom?: OomEvidence;
  /** Seconds from the container's first sample in the window to its last (any of its pods). */
  historySeconds: number;
};

export type MeasuredEnergy = {
  source: "kepler-0.7" | "kepler-0.10";
  /** kWh over the window, all pods of the workload together. */
  kWh: number;
  /** Set when the reading cannot be right; the model is used instead. */
  implausible?: string;
};

export type ObservedCost = {
  /** USD over the window, from OpenCost. */
  totalCost: number;
  cpuEfficiency: number | null;
  ramEfficiency: number | null;
  minutes: number;
};

export type WorkloadUsage = {
  namespace: string;
  kind: string;
  name: string;
  /** Pods seen in the window, and the ReplicaSets they came from (a rollout leaves two). */
  pods: string[];
  replicaSets: string[];
  /** Average desired replicas over the window (kube-state-metrics), when known. */
  replicas?: number;
  containers: Record<string, ContainerUsage>;
  energy?: MeasuredEnergy;
  cost?: ObservedCost;
};

export function workloadKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

/** OpenCost's cluster-wide prices (the average over the window). */
export type ObservedPrices = { usdPerVcpuHour: number; usdPerGiBHour: number };

/** What happened when one source was asked: shown in every report that used telemetry. */
export type SourceStatus = {
  source: "prometheus" | "kepler" | "opencost" | "grid-intensity";
  environment: string;
  /** As requests use it (shownUrl): origin and path, not the settings' text. */
  url: string;
  /** not-allowed: never contacted, its settings name what the operator did not allow (see error). */
  status: "ok" | "empty" | "failed" | "not-allowed";
  error?: string;
  /** HTTP requests sent (PromQL queries for Prometheus). */
  requests: number;
  milliseconds: number;
  /** What the report used instead, or what it used from the source. */
  note: string;
};

export type EnvironmentTelemetry = {
  environment: string;
  window: TelemetryWindow;
  /** Says where usage figures come from, in findings. */
  source: string;
  workloads: Map<string, WorkloadUsage>;
  intensity?: HourlyIntensity;
  prices?: ObservedPrices;
  /** OpenCost's cost of each controller over the window, by workload key. */
  costs?: Map<string, ObservedCost>;
  /** Workloads under review that OpenCost observed and no usage source did (no Prometheus, or no series). */
  costOnly: Map<string, WorkloadUsage>;
};

export type Telemetry = { environments: Map<string, EnvironmentTelemetry>; sources: SourceStatus[] };

/** One environment to read: its settings, the workloads under review, what its policies need. */
export type TelemetryRequest = {
  environment: string;
  settings: EnvironmentSettings;
  /** The repository file the settings come from (default: environments/<environment>/greenops.yml). */
  settingsFile?: string;
  workloads: { namespace: string; kind: string; name: string }[];
  quantiles: number[];
  /** Power envelope of one node (vCPUs × max W per vCPU), for Kepler's plausibility check. */
  nodeMaxWatts?: number;
};
