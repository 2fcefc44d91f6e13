import { lazyValidator } from "./ajv.ts";
import { type PolicySetting, policySettingsSchema } from "./policy-settings.ts";
import { type TelemetrySettings, telemetrySettingsSchema } from "./telemetry-settings.ts";

export const CLOUDS = ["aws", "gcp", "azure"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** `environments/<name>/greenops.yml`: where an environment runs and what its nodes are. */
export type EnvironmentSettings = {
  cloud: Cloud;
  region: string;
  /** The node pool's instance type: its price and power coefficients apply to every pod. */
  nodeInstanceType?: string;
  /** Nodes in the cluster: a DaemonSet runs one pod on each. */
  nodeCount?: number;
  currency: "USD";
  /** StorageClass name → the cloud volume type it provisions (gp3, io1, …). */
  storageClasses?: Record<string, string>;
  /** The StorageClass a claim without `storageClassName` gets. */
  defaultStorageClass?: string;
  /** How long a Job run lasts when its manifest does not say (no activeDeadlineSeconds). */
  jobRunMinutes?: number;
  /** Production or not (non-production policies apply to the others); default: see environment-kind.ts. */
  production?: boolean;
  /** Monthly budgets the budget policies check. */
  budgets?: Budgets;
  /** Per-environment severity and options of policies, over the repository's. */
  policies?: Record<string, PolicySetting>;
  /** Grid intensity by hour (UTC) for the region, when you have it and no telemetry provides it. */
  carbonIntensityProfile?: { source: string; kind: "average" | "marginal"; hourlyGramsPerKWh: number[] };
  /** How compute is bought; the catalogs hold on-demand list prices, so anything else is not priced. */
  purchaseOption?: "on-demand" | "spot" | "reserved";
  /** Live sources: Prometheus (cAdvisor, kube-state-metrics, Kepler), OpenCost, grid intensity. */
  telemetry?: TelemetrySettings;
};

export type Budgets = {
  /** USD a month the environment may cost in total. */
  monthlyCost?: number;
  /** USD a month one change may add. */
  monthlyCostIncrease?: number;
  monthlyCarbonKg?: number;
  monthlyCarbonKgIncrease?: number;
};

const amount = (description: string) => ({ type: "number", minimum: 0, description });

export const environmentSettingsSchema = {
  $id: "https://greenops.dev/schemas/environment-settings.json",
  title: "GreenOps environment settings",
  description: "environments/<name>/greenops.yml: the cloud, region and nodes an environment runs on.",
  type: "object",
  properties: {
    cloud: { type: "string", enum: [...CLOUDS], description: "The cloud provider." },
    region: {
      type: "string",
      minLength: 1,
      description: "The provider's region id, e.g. us-east-1, europe-west1, westeurope.",
    },
    nodeInstanceType: {
      type: "string",
      minLength: 1,
      description: "Instance type of the nodes, e.g. m6i.xlarge or Standard_D4s_v5.",
    },
    nodeCount: {
      type: "integer",
      minimum: 1,
      maximum: 100000,
      description: "Nodes in the cluster.",
    },
    currency: { type: "string", enum: ["USD"], description: "Only USD: every price source is in USD." },
    storageClasses: {
      type: "object",
      additionalProperties: { type: "string", minLength: 1 },
      description: "StorageClass name → volume type it provisions (gp2, gp3, io1, io2, st1, sc1, …).",
    },
    defaultStorageClass: {
      type: "string",
      minLength: 1,
      description: "The default StorageClass.",
    },
    jobRunMinutes: {
      type: "number",
      exclusiveMinimum: 0,
      maximum: 43800,
      description: "Minutes a Job run lasts when its manifest sets no activeDeadlineSeconds (default 10).",
    },
    production: {
      type: "boolean",
      description:
        "Whether the environment is production. Default: true when it is named prod, production, prd or live; otherwise false, unless a word of its name is one of those (eu-prod, pre-prod), which leaves it unknown.",
    },
    budgets: {
      type: "object",
      properties: {
        monthlyCost: amount("USD a month the environment may cost in total (cost-budget-total)."),
        monthlyCostIncrease: amount("USD a month one change may add (cost-budget-delta)."),
        monthlyCarbonKg: amount("kgCO2e a month the environment may emit in total (carbon-budget-total)."),
        monthlyCarbonKgIncrease: amount("kgCO2e a month one change may add (carbon-budget-delta)."),
      },
      additionalProperties: false,
    },
    policies: policySettingsSchema,
    carbonIntensityProfile: {
      type: "object",
      description: "Grid intensity by hour of day (UTC), gCO2e/kWh, with its source (cronjob-carbon-window).",
      properties: {
        source: { type: "string", minLength: 1 },
        kind: { type: "string", enum: ["average", "marginal"] },
        hourlyGramsPerKWh: {
          type: "array",
          items: { type: "number", minimum: 0 },
          minItems: 24,
          maxItems: 24,
        },
      },
      required: ["source", "kind", "hourlyGramsPerKWh"],
      additionalProperties: false,
    },
    purchaseOption: {
      type: "string",
      enum: ["on-demand", "spot", "reserved"],
      description:
        "How compute is bought (default on-demand). The bundled catalogs hold on-demand list prices only: with spot or reserved, compute is reported as not priced rather than priced on-demand.",
    },
    telemetry: telemetrySettingsSchema,
  },
  required: ["cloud", "region", "currency"],
  additionalProperties: false,
};

export const validateEnvironmentSettings = lazyValidator<EnvironmentSettings>(
  "environment-settings",
  environmentSettingsSchema,
);

/** Used where no environment settings apply; the report says so. */
export const DEFAULT_SETTINGS: EnvironmentSettings = Object.freeze({
  cloud: "aws",
  region: "unknown",
  currency: "USD",
});

/** Minutes a Job run is assumed to last when nothing says otherwise: a GreenOps choice, documented in README. */
export const DEFAULT_JOB_RUN_MINUTES = 10;
