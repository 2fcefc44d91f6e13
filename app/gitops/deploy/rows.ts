import type { Followed } from "../../argocd/follow.ts";
import { counted } from "../../model/words.ts";
import { formatDuration } from "../../telemetry/duration.ts";
import type { Delta } from "./costs.ts";
import { type Result, resultOf, shownRevision } from "./settle.ts";
import type { Target } from "./targets.ts";
import type { DeployRow } from "./types.ts";

/** One Application's row: what ArgoCD last showed, and what it means for the revision. */
export function rowOf(
  target: Target,
  trigger: DeployRow["trigger"],
  followed: Followed,
  revision: string,
  timeoutMs: number,
  delta: Delta | undefined,
): DeployRow {
  const live = followed.application ?? target.live;
  const status = live.status ?? {};
  const shown = shownRevision(live);
  const row: DeployRow = {
    name: target.application.name,
    cluster: target.application.cluster,
    ...(target.application.namespace ? { namespace: target.application.namespace } : {}),
    sync: status.sync?.status ?? "Unknown",
    health: status.health?.status ?? "Unknown",
    ...(shown ? { revision: shown } : {}),
    trigger,
    result: "neutral",
    ...(delta ? { delta } : {}),
  };
  if (followed.outcome === "settled") return { ...row, ...resultOf(followed.application, revision) };
  if (followed.outcome === "error") return { ...row, message: followed.error.message };
  const seen = shown ? `ArgoCD shows ${shown.slice(0, 7)}` : "ArgoCD shows no revision";
  const why = followed.error ? `; last error: ${followed.error.message}` : "";
  return {
    ...row,
    message: `not deployed within ${formatDuration(Math.round(timeoutMs / 1000))} (${seen}, sync ${row.sync}, health ${row.health})${why}`,
  };
}

/** The check's title; `timedOut`: some Application was still not deployed when the watch ended. */
export function titleOf(
  rows: DeployRow[],
  conclusion: Result,
  timeoutSeconds: number,
  timedOut: boolean,
): string {
  const healthy = rows.filter((r) => r.result === "success").length;
  const apps = (n: number) => counted(n, "Application");
  if (conclusion === "success") return `${apps(rows.length)} Synced and Healthy`;
  const failed = rows.filter((r) => r.result === "failure");
  if (failed.length === 1 && rows.length === 1)
    return `${failed[0]?.name}: ${failed[0]?.message?.split(":")[0]}`;
  if (failed.length > 0) return `${failed.length} of ${apps(rows.length)} failed`;
  if (timedOut)
    return `Not deployed within ${formatDuration(timeoutSeconds)}: ${healthy} of ${apps(rows.length)} Synced and Healthy`;
  return `${healthy} of ${apps(rows.length)} Synced and Healthy`;
}
