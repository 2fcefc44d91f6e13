import type { JSONSchemaType } from "ajv";
import { ajv } from "./ajv.ts";

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
  /** How compute is bought; the catalogs hold on-demand list prices, so anything else is not priced. */
  purchaseOption?: "on-demand" | "spot" | "reserved";
};

export const environmentSettingsSchema: JSONSchemaType<EnvironmentSettings> = {
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
      nullable: true,
      minLength: 1,
      description: "Instance type of the nodes, e.g. m6i.xlarge or Standard_D4s_v5.",
    },
    nodeCount: {
      type: "integer",
      nullable: true,
      minimum: 1,
      maximum: 100000,
      description: "Nodes in the cluster.",
    },
    currency: { type: "string", enum: ["USD"], description: "Only USD: every price source is in USD." },
    storageClasses: {
      type: "object",
      nullable: true,
      required: [],
      additionalProperties: { type: "string", minLength: 1 },
      description: "StorageClass name → volume type it provisions (gp2, gp3, io1, io2, st1, sc1, …).",
    },
    defaultStorageClass: {
      type: "string",
      nullable: true,
      minLength: 1,
      description: "The default StorageClass.",
    },
    jobRunMinutes: {
      type: "number",
      nullable: true,
      exclusiveMinimum: 0,
      maximum: 43800,
      description: "Minutes a Job run lasts when its manifest sets no activeDeadlineSeconds (default 10).",
    },
    purchaseOption: {
      type: "string",
      nullable: true,
      enum: ["on-demand", "spot", "reserved"],
      description:
        "How compute is bought (default on-demand). The bundled catalogs hold on-demand list prices only: with spot or reserved, compute is reported as not priced rather than priced on-demand.",
    },
  },
  required: ["cloud", "region", "currency"],
  additionalProperties: false,
};

export const validateEnvironmentSettings = ajv.compile(environmentSettingsSchema);

/** Used where no environment settings apply; the report says so. */
export const DEFAULT_SETTINGS: EnvironmentSettings = Object.freeze({
  cloud: "aws",
  region: "unknown",
  currency: "USD",
});

/** Minutes a Job run is assumed to last when nothing says otherwise: a GreenOps choice, documented in README. */
export const DEFAULT_JOB_RUN_MINUTES = 10;
