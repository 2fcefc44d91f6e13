/**
 * The JSON Schema of every data file (of each CSV row, or of the JSON document). The test suite
 * validates each file against its schema with ajv; the loaders use them to type the values.
 */
export type DataSchema = {
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  items?: DataSchema;
  pattern?: string;
  properties?: Record<string, DataSchema>;
  additionalProperties?: DataSchema | boolean;
  required?: string[];
  enum?: string[];
  const?: string;
  minimum?: number;
  minLength?: number;
};

const number: DataSchema = { type: "number", minimum: 0 };
const text: DataSchema = { type: "string", minLength: 1 };
const cloud: DataSchema = { type: "string", enum: ["aws", "gcp", "azure"] };

const ccfConstants: DataSchema = {
  type: "object",
  properties: {
    pue: number,
    min_watts_fallback: number,
    max_watts_fallback: number,
    ssd_wh_per_tb_hour: number,
    hdd_wh_per_tb_hour: number,
    memory_kwh_per_gb_hour: number,
    avg_cpu_utilization_percent_fallback: number,
    server_expected_lifespan_hours: number,
    replication_factors: { type: "object", additionalProperties: number },
  },
  required: [
    "pue",
    "min_watts_fallback",
    "max_watts_fallback",
    "ssd_wh_per_tb_hour",
    "hdd_wh_per_tb_hour",
    "memory_kwh_per_gb_hour",
    "avg_cpu_utilization_percent_fallback",
    "server_expected_lifespan_hours",
    "replication_factors",
  ],
};

export const DATA_SCHEMAS = {
  "catalog.json": {
    type: "object",
    properties: {
      sources: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: text,
            file: text,
            title: text,
            origin: text,
            asOf: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
            licence: text,
          },
          required: ["id", "file", "title", "origin", "asOf", "licence"],
          additionalProperties: false,
        },
      },
    },
    required: ["sources"],
    additionalProperties: false,
  },
  "aws-ec2-prices.csv": {
    type: "object",
    properties: { instance_type: text, vcpu: number, memory_gib: number, arch: text, gpu_count: number },
    required: ["instance_type", "vcpu", "memory_gib", "arch", "gpu_count"],
    additionalProperties: number,
  },
  "azure-vm-prices.csv": {
    type: "object",
    properties: { sku: text },
    required: ["sku"],
    additionalProperties: number,
  },
  "aws-ebs-prices.csv": {
    type: "object",
    properties: { region: text, volume_type: text, component: text, unit: text, usd_per_unit: number },
    required: ["region", "volume_type", "component", "unit", "usd_per_unit"],
  },
  "aws-load-balancer-prices.csv": {
    type: "object",
    properties: { region: text, item: text, unit: { type: "string", const: "hour" }, usd_per_unit: number },
    required: ["region", "item", "unit", "usd_per_unit"],
  },
  "aws-rds-prices.csv": {
    type: "object",
    properties: {
      region: text,
      engine: text,
      instance_class_or_item: text,
      deployment: { type: "string", enum: ["single-az", "multi-az", "n/a"] },
      component: text,
      unit: text,
      usd_per_unit: number,
    },
    required: ["region", "engine", "deployment", "component", "unit", "usd_per_unit"],
  },
  "aws-eks-prices.csv": {
    type: "object",
    properties: {
      region: text,
      item: { type: "string", enum: ["cluster", "cluster-extended-support"] },
      unit: { type: "string", const: "hour" },
      usd_per_unit: number,
    },
    required: ["region", "item", "unit", "usd_per_unit"],
  },
  "aws-elasticache-prices.csv": {
    type: "object",
    properties: {
      region: text,
      node_type: { type: "string", pattern: "^cache\\." },
      engine: text,
      unit: { type: "string", const: "hour" },
      usd_per_unit: number,
    },
    required: ["region", "node_type", "engine", "unit", "usd_per_unit"],
  },
  "aws-fargate-prices.csv": {
    type: "object",
    properties: {
      region: text,
      item: { type: "string", enum: ["vcpu", "memory"] },
      unit: { type: "string", enum: ["vCPU-hour", "GB-hour"] },
      usd_per_unit: number,
    },
    required: ["region", "item", "unit", "usd_per_unit"],
  },
  "aws-network-usage-prices.csv": {
    type: "object",
    properties: {
      region: text,
      item: {
        type: "string",
        enum: ["nat-gateway-data-processed", "application-load-balancer-lcu", "network-load-balancer-lcu"],
      },
      unit: { type: "string", enum: ["GB", "LCU-hour"] },
      usd_per_unit: number,
    },
    required: ["region", "item", "unit", "usd_per_unit"],
  },
  "aws-lambda-prices.csv": {
    type: "object",
    properties: {
      region: text,
      architecture: { type: "string", enum: ["x86_64", "arm64"] },
      item: { type: "string", enum: ["requests", "duration", "ephemeral-storage"] },
      tier_from_gb_seconds: number,
      tier_to_gb_seconds: number,
      unit: text,
      usd_per_unit: number,
    },
    required: ["region", "architecture", "item", "tier_from_gb_seconds", "unit", "usd_per_unit"],
  },
  "gcp-compute-prices.csv": {
    type: "object",
    properties: { machine_type: text, vcpu: number, memory_gib: number },
    required: ["machine_type", "vcpu", "memory_gib"],
    additionalProperties: number,
  },
  "opencost-default-prices.json": {
    type: "object",
    properties: { CPU: number, RAM: number, GPU: number, storage: number },
    required: ["CPU", "RAM", "GPU", "storage"],
  },
  "ccf-instance-coefficients.csv": {
    type: "object",
    properties: {
      cloud,
      instance_type: text,
      vcpus: number,
      memory_gib: number,
      microarchitecture: text,
      min_watts: number,
      max_watts: number,
      min_max_is_cloud_average: { type: "boolean" },
      embodied_kgco2e: number,
      embodied_kgco2e_per_instance_hour: number,
      family_largest_vcpus: number,
      additional_memory_gb: number,
      burstable_baseline_pct: number,
      gpu_count: number,
      gpu_model: text,
      gpu_min_watts: number,
      gpu_max_watts: number,
    },
    required: [
      "cloud",
      "instance_type",
      "vcpus",
      "memory_gib",
      "min_watts",
      "max_watts",
      "min_max_is_cloud_average",
    ],
  },
  "ccf-region-emission-factors.csv": {
    type: "object",
    properties: {
      cloud,
      region: text,
      gco2e_per_kwh: number,
      source_year: { type: "integer" },
      source: text,
    },
    required: ["cloud", "region", "gco2e_per_kwh", "source"],
  },
  "ccf-constants.json": {
    type: "object",
    properties: { aws: ccfConstants, gcp: ccfConstants, azure: ccfConstants },
    required: ["aws", "gcp", "azure"],
  },
} satisfies Record<string, DataSchema>;
