const result = { type: "string", enum: ["success", "failure", "neutral"] };
const delta = {
  type: "object",
  description:
    "The monthly change the push deployed; null where a resource could not be priced or estimated.",
  properties: {
    monthlyCost: { type: ["number", "null"], description: "USD a month." },
    monthlyCarbonKg: { type: ["number", "null"], description: "kgCO2e a month." },
  },
  required: ["monthlyCost", "monthlyCarbonKg"],
  additionalProperties: false,
};

const files = { type: "array", items: { type: "string" } };

/** The version `greenops deploy-status --format json` writes as schemaVersion. */
export const DEPLOY_REPORT_VERSION = "1.1";

/** `greenops deploy-status --format json`: the deployment report, as the "GreenOps deploy" check shows it. */
export const deployReportSchema = {
  $id: `https://greenops.dev/schemas/deploy-report-${DEPLOY_REPORT_VERSION}.json`,
  title: "GreenOps deployment report",
  description: "What ArgoCD did with a revision: one row per Application that deploys it.",
  type: "object",
  properties: {
    schemaVersion: {
      enum: [DEPLOY_REPORT_VERSION],
      description:
        "1.1 added schemaVersion, rollout and unevaluated (the programs the commit changed that were not run; the conclusion is then never success). 1.0, the first, had no schemaVersion.",
    },
    revision: { type: "string", description: "The commit followed." },
    server: { type: "string", description: "The ArgoCD server asked." },
    conclusion: {
      ...result,
      description:
        "success: every Application Synced and Healthy, and every program the commit changed evaluated (neutral when one was not: see unevaluated).",
    },
    rollout: {
      ...result,
      description:
        "What ArgoCD did alone: success when every Application is Synced and Healthy. The exit status of greenops deploy-status follows it.",
    },
    title: { type: "string" },
    problem: {
      type: "string",
      description: "Why there is no row (ArgoCD unreachable or refusing, no Application).",
    },
    rows: {
      type: "array",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          cluster: { type: "string", description: "destination.server or destination.name." },
          namespace: { type: "string" },
          sync: { type: "string", description: "Synced, OutOfSync or Unknown." },
          health: {
            type: "string",
            description: "Healthy, Progressing, Degraded, Suspended, Missing or Unknown.",
          },
          revision: { type: "string", description: "The revision ArgoCD shows." },
          trigger: { type: "string", enum: ["sync requested", "auto-sync", "watched", "sync refused"] },
          result,
          message: { type: "string", description: "ArgoCD's message, or why the result is neutral." },
          delta,
        },
        required: ["name", "cluster", "sync", "health", "trigger", "result"],
        additionalProperties: false,
      },
    },
    savings: {
      type: "array",
      description:
        "GreenOps commits of the push (found by their trailers) and whether their savings reached the cluster.",
      items: {
        type: "object",
        properties: {
          sha: { type: "string" },
          policies: { type: "array", items: { type: "string" } },
          saving: {
            type: "object",
            properties: { monthlyCost: { type: "number" }, monthlyCarbonKg: { type: "number" } },
            required: ["monthlyCost", "monthlyCarbonKg"],
            additionalProperties: false,
          },
          reached: { type: "string", enum: ["yes", "not yet", "no Application"] },
          applications: { type: "array", items: { type: "string" } },
        },
        required: ["sha", "policies", "reached", "applications"],
        additionalProperties: false,
      },
    },
    timeoutSeconds: { type: "number" },
    unevaluated: {
      type: "object",
      description:
        "The programs (Pulumi programs, CDKTF apps) the commit changed that GreenOps did not run, or stopped before they ended, by reason, under the paths of the Applications that deploy the commit (any, when ArgoCD could not be read): their resources are missing from the rows' cost and carbon. Absent when every such program ran.",
      properties: {
        files: {
          ...files,
          description: "Each program's root (Pulumi.yaml, cdktf.json), or a Pulumi stack's file.",
        },
        reasons: {
          type: "array",
          items: {
            type: "object",
            properties: {
              reason: {
                type: "string",
                description:
                  "The refusal of whoever runs GreenOps or of the repository's settings, the run's budget for programs, or the program's own time or output limit.",
              },
              files,
            },
            required: ["reason", "files"],
            additionalProperties: false,
          },
        },
      },
      required: ["files", "reasons"],
      additionalProperties: false,
    },
  },
  required: [
    "schemaVersion",
    "revision",
    "server",
    "conclusion",
    "rollout",
    "title",
    "rows",
    "savings",
    "timeoutSeconds",
  ],
  additionalProperties: false,
};
