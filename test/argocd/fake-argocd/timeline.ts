import { type Json, now } from "./applications.ts";

/** How a deployment goes: synced and healthy, a sync that fails, a rollout that degrades, or no end. */
export type Outcome = "healthy" | "sync-fails" | "degraded" | "stuck";

export type Step = (app: Json) => void;

const SYNC_FAILED =
  'one or more objects failed to apply, reason: Deployment.apps "api" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1';
const DEADLINE = 'Deployment "api" exceeded its progress deadline';

/**
 * The states an Application goes through to deploy `revision`, as Argo CD's controller writes them:
 * the refresh (OutOfSync at the new revision), then the sync: the operation running, its end, and the
 * health after. An auto-synced Application goes on by itself; another waits for a sync request.
 */
export function timeline(
  revision: string,
  outcome: Outcome,
  automated: boolean,
): { refresh: Step; deploy: Step[] } {
  const refresh: Step = (app) => {
    status(app).sync = { ...sync(app), status: "OutOfSync", revision };
    status(app).reconciledAt = now();
  };
  const start: Step = (app) => {
    delete app.operation;
    status(app).operationState = {
      operation: {
        sync: { revision, syncStrategy: { hook: {} } },
        initiatedBy: automated ? { automated: true } : { username: "greenops" },
        retry: {},
      },
      phase: "Running",
      message: "one or more tasks are running",
      startedAt: now(),
    };
  };
  const end =
    (phase: string, message: string, synced: boolean): Step =>
    (app) => {
      const operation = status(app).operationState as Json;
      Object.assign(operation, {
        phase,
        message,
        finishedAt: now(),
        syncResult: { resources: [], revision, source: (sync(app).comparedTo as Json).source },
      });
      if (synced) {
        status(app).sync = { ...sync(app), status: "Synced", revision };
        health(app, "Progressing", "Waiting for rollout to finish: 1 of 2 updated replicas are available...");
      }
    };
  const succeeded = end("Succeeded", "successfully synced (all tasks run)", true);
  const deploy: Record<Outcome, Step[]> = {
    healthy: [start, succeeded, (app) => health(app, "Healthy")],
    "sync-fails": [start, end("Failed", SYNC_FAILED, false)],
    degraded: [start, succeeded, (app) => health(app, "Degraded", DEADLINE)],
    stuck: [start],
  };
  return { refresh, deploy: deploy[outcome] };
}

/** What a sync request sets at once: the operation, before the controller picks it up. */
export function requestSync(app: Json, revision: string): void {
  app.operation = { sync: { revision, prune: false }, initiatedBy: { username: "greenops" }, retry: {} };
}

function status(app: Json): Json {
  return app.status as Json;
}

function sync(app: Json): Json {
  return status(app).sync as Json;
}

function health(app: Json, value: string, message?: string): void {
  status(app).health = { status: value, ...(message ? { message } : {}), lastTransitionTime: now() };
}
