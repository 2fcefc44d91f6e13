import type { JobRuns, Replicas, Uptime, VolumeDemand, WorkloadDemand } from "../../model/resource.ts";
import type { YamlPath } from "../yaml/yaml-file.ts";
import { CronScheduleError, runsPerHour } from "./cron-schedule.ts";
import { DownscalerError, weeklyShare } from "./downscaler.ts";
import type { ManifestReader } from "./manifest-reader.ts";
import { podAmounts, readPodSpec } from "./pod-template.ts";
import { readClaim } from "./storage.ts";

const HOURS_PER_MONTH = 730;
const MAX_REPLICAS = 1_000_000;
const MAX_SECONDS = 10 * 365 * 24 * 3600;

type WorkloadKind = {
  podSpec: YamlPath;
  replicas: "spec" | "node-count" | "single-pod" | "job" | "cron-job";
};

/** Kinds that run pods, and where their pod spec is. */
export const WORKLOAD_KINDS: Record<string, WorkloadKind> = {
  Pod: { podSpec: ["spec"], replicas: "single-pod" },
  Deployment: { podSpec: ["spec", "template", "spec"], replicas: "spec" },
  StatefulSet: { podSpec: ["spec", "template", "spec"], replicas: "spec" },
  ReplicaSet: { podSpec: ["spec", "template", "spec"], replicas: "spec" },
  ReplicationController: { podSpec: ["spec", "template", "spec"], replicas: "spec" },
  Rollout: { podSpec: ["spec", "template", "spec"], replicas: "spec" },
  DaemonSet: { podSpec: ["spec", "template", "spec"], replicas: "node-count" },
  Job: { podSpec: ["spec", "template", "spec"], replicas: "job" },
  CronJob: { podSpec: ["spec", "jobTemplate", "spec", "template", "spec"], replicas: "cron-job" },
};

/** Reads a workload; `jobRunSeconds` is the assumed run time of a Job with no deadline. */
export function readWorkload(
  reader: ManifestReader,
  kind: WorkloadKind,
  jobRunSeconds: number,
  notes: string[],
) {
  const template = readPodSpec(reader, kind.podSpec);
  const demand: WorkloadDemand = {
    type: "workload",
    replicas: readReplicas(reader, kind, notes),
    containers: template.containers,
    overhead: template.overhead,
    podRequests: template.podRequests,
    pod: podAmounts(template),
    volumeClaims: readClaimTemplates(reader),
  };
  if (kind.replicas === "job") {
    demand.runs = readJobRuns(reader, ["spec"], jobRunSeconds, 1, notes);
    notes.push("a Job is counted as one run a month");
  }
  if (kind.replicas === "cron-job") demand.runs = readCronRuns(reader, jobRunSeconds, notes);
  if (kind.replicas === "spec") {
    const uptime = readUptime(reader, notes);
    if (uptime) demand.uptime = uptime;
  }
  return demand;
}

const ANNOTATIONS = ["metadata", "annotations"] as const;

/** kube-downscaler's annotations, which scale the workload down outside a weekly schedule. */
function readUptime(reader: ManifestReader, notes: string[]): Uptime | undefined {
  for (const annotation of ["downscaler/uptime", "downscaler/downtime"] as const) {
    const schedule = reader.string([...ANNOTATIONS, annotation], true);
    if (schedule === undefined) continue;
    try {
      const share = weeklyShare(schedule);
      const replicas = Number(reader.value([...ANNOTATIONS, "downscaler/downtime-replicas"]) ?? 0);
      const uptime: Uptime = {
        share: annotation === "downscaler/uptime" ? share : 1 - share,
        annotation,
        schedule,
        downtimeReplicas: Number.isInteger(replicas) && replicas >= 0 ? replicas : 0,
      };
      notes.push(
        `${annotation} "${schedule}": full replicas ${(uptime.share * 100).toFixed(1)}% of the week (kube-downscaler)`,
      );
      return uptime;
    } catch (error) {
      if (!(error instanceof DownscalerError)) throw error;
      reader.report(
        [...ANNOTATIONS, annotation],
        "warning",
        `${error.message}; the workload is estimated around the clock`,
      );
    }
  }
  return undefined;
}

function readReplicas(reader: ManifestReader, kind: WorkloadKind, notes: string[]): Replicas {
  switch (kind.replicas) {
    case "spec": {
      const count = reader.integer(["spec", "replicas"], { min: 0, max: MAX_REPLICAS });
      if (count !== undefined) return { count, basis: "spec" };
      notes.push("spec.replicas is not set: Kubernetes' default of 1 is used");
      return { count: 1, basis: "default" };
    }
    case "node-count":
      return { count: 1, basis: "node-count" };
    default:
      return { count: 1, basis: "single-pod" };
  }
}

function readJobRuns(
  reader: ManifestReader,
  jobSpec: YamlPath,
  defaultSeconds: number,
  runsPerMonth: number,
  notes: string[],
): JobRuns {
  const parallelism = reader.integer([...jobSpec, "parallelism"], { min: 0, max: MAX_REPLICAS }) ?? 1;
  const completions = reader.integer([...jobSpec, "completions"], { min: 0, max: MAX_REPLICAS }) ?? 1;
  const deadline = reader.integer([...jobSpec, "activeDeadlineSeconds"], { min: 1, max: MAX_SECONDS });
  // With a deadline, at most `parallelism` pods run for at most the deadline; without one, each of the
  // completions runs for the assumed run time, `parallelism` at a time.
  const podsPerRun = Math.min(parallelism, Math.max(completions, 1));
  const runSeconds =
    deadline ?? Math.ceil(Math.max(completions, 1) / Math.max(podsPerRun, 1)) * defaultSeconds;
  if (deadline === undefined) {
    notes.push(
      `no activeDeadlineSeconds: each run is assumed to last ${defaultSeconds / 60} min per completion wave`,
    );
  }
  return {
    runsPerMonth,
    runSeconds,
    runSecondsBasis: deadline === undefined ? "default" : "active-deadline",
    podsPerRun,
    suspended: false,
  };
}

function readCronRuns(reader: ManifestReader, defaultSeconds: number, notes: string[]): JobRuns {
  const schedule = reader.string(["spec", "schedule"], true);
  let perHour = 0;
  if (schedule === undefined) reader.report(["spec"], "error", "spec.schedule is required for a CronJob");
  else {
    try {
      perHour = runsPerHour(schedule);
      if (/^(CRON_)?TZ=/.test(schedule)) {
        reader.report(
          ["spec", "schedule"],
          "warning",
          "TZ= in spec.schedule is rejected by Kubernetes; use spec.timeZone",
        );
      }
    } catch (error) {
      if (!(error instanceof CronScheduleError)) throw error;
      reader.report(["spec", "schedule"], "error", `invalid schedule "${schedule}": ${error.message}`);
    }
  }
  const runs = readJobRuns(
    reader,
    ["spec", "jobTemplate", "spec"],
    defaultSeconds,
    perHour * HOURS_PER_MONTH,
    notes,
  );
  if (schedule !== undefined) runs.schedule = schedule;
  const timeZone = reader.string(["spec", "timeZone"], true);
  if (timeZone !== undefined) runs.timeZone = timeZone;
  const suspend = reader.value(["spec", "suspend"]);
  if (suspend === true) {
    reader.record(["spec", "suspend"]);
    runs.suspended = true;
    notes.push("spec.suspend is true: no runs are counted");
  }
  const policy = reader.value(["spec", "concurrencyPolicy"]);
  if (policy === "Forbid" || policy === "Replace")
    runs.runsPerMonth = Math.min(runs.runsPerMonth, cap(runs.runSeconds));
  return runs;
}

/** With Forbid or Replace, runs never overlap: at most one run's worth of seconds per second. */
function cap(runSeconds: number): number {
  return (HOURS_PER_MONTH * 3600) / runSeconds;
}

function readClaimTemplates(reader: ManifestReader): VolumeDemand[] {
  const claims: VolumeDemand[] = [];
  const count = reader.count(["spec", "volumeClaimTemplates"]);
  for (let index = 0; index < count; index++) {
    const claim = readClaim(reader, ["spec", "volumeClaimTemplates", index]);
    if (claim) claims.push(claim);
  }
  return claims;
}
