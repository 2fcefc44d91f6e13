import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimate } from "../../../app/engine/estimate.ts";
import type { Report } from "../../../app/engine/types.ts";
import { testPrograms } from "../../helpers/programs.ts";

/**
 * The corpus (test/fixtures/pulumi/corpus): Pulumi programs in the style of public examples, each
 * with what it is expected to create and cost. Every figure is recomputed here from list prices as
 * their cited sources print them (USD per hour unless said; × 730 hours a month), not read from the
 * catalogs, and must match GreenOps' estimate within 1 %.
 */
const HOURS = 730;
/** EC2 on-demand Linux, us-east-1: aws-ec2-prices (Karpenter's table) and the Infracost goldens that print the same. */
const EC2: Record<string, number> = {
  "t2.micro": 0.0116, // breakdown_terraform_file_funcs
  "t3.micro": 0.0104, // breakdown_terragrunt_hclmodule_output_for_each
  "t3.small": 0.0208, // breakdown_terragrunt_hclmodule_output_for_each
  "t3.medium": 0.0416, // autoscaling_group_test
  "t3.large": 0.0832, // breakdown_terraform_provided_default_envs
  "m5.large": 0.096, // breakdown_terraform_file_funcs
  "m5.xlarge": 0.192, // eks_node_group_test
};
/** EBS per GB-month (ebs_volume_test), io1 IOPS per IOPS-month. */
const EBS = { gp2: 0.1, gp3: 0.08, io1: 0.125, io1Iops: 0.065, st1: 0.045 };
/** RDS (db_instance_test and others): instance-hours by engine, storage per GB-month. */
const RDS = {
  "postgres db.t3.large": 0.145,
  "mysql db.t3.micro": 0.017,
  "aurora-postgresql db.t3.large": 0.164,
  gp2: 0.115,
};
const NAT = 0.045; // eip_test, nat_gateway_test
const NAT_DATA_PER_GB = 0.045; // nat_gateway_test, printed per GB
const LOAD_BALANCER = 0.0225; // lb_test (ALB and NLB)
const EKS_CLUSTER = 0.1; // eks_cluster_test
const FARGATE = { vcpu: 0.04048, gb: 0.004445 }; // ecs_service_test
const ELASTICACHE_M4_LARGE = 0.156; // elasticache_cluster_test
const EIP = 0.005; // eip_test
const LAMBDA = { perMillionRequests: 0.2, perGbSecond: 0.0000166667 }; // lambda_function_test
/** OpenCost's default prices (opencost/opencost configs/default.json): the CPU:RAM split of a node's price. */
const OPENCOST = { cpu: 0.031611, ram: 0.004237, storagePerGiBHour: 0.00005479452 };

const ec2 = (type: string, rootGb = 8, rootType: keyof typeof EBS = "gp2", count = 1) =>
  count * ((EC2[type] as number) * HOURS + rootGb * EBS[rootType]);
const fargate = (tasks: number, vcpu: number, gb: number) =>
  tasks * HOURS * (vcpu * FARGATE.vcpu + gb * FARGATE.gb);
/** A pod on the dev environment's m5.large nodes (2 vCPU, 8 GiB), by OpenCost's split of the node price. */
const pods = (replicas: number, cpu: number, memoryGiB: number) => {
  const ram = (EC2["m5.large"] as number) / (2 * (OPENCOST.cpu / OPENCOST.ram) + 8);
  return replicas * HOURS * (cpu * ram * (OPENCOST.cpu / OPENCOST.ram) + memoryGiB * ram);
};

type Program = {
  /** Its folder in the corpus. */
  dir: string;
  /** Every resource that is not free, by id: its monthly cost, or null where it is rightly not priced. */
  costs: Record<string, number | null>;
  /** A program error the program is expected to end with. */
  fails?: RegExp;
  /** The folder its resources are declared in, when it is wider than the program's (a workspace package's). */
  under?: string;
};

const CORPUS: Program[] = [
  {
    dir: "aws-ts-webserver",
    // The region is only Pulumi.yaml's template default: still priced, and said so.
    costs: { "aws:ec2/instance:Instance::web-server-www": ec2("t2.micro") },
  },
  {
    dir: "aws-ts-webserver-component",
    costs: {
      "aws:ec2/instance:Instance::web-0": ec2("t3.micro"),
      "aws:ec2/instance:Instance::web-1": ec2("t3.micro"),
    },
  },
  {
    dir: "aws-ts-vpc-fargate-rds",
    costs: {
      "awsx:ec2:Vpc::app-vpc/nat-gateways": 3 * NAT * HOURS,
      "awsx:lb:ApplicationLoadBalancer::lb/load-balancer": LOAD_BALANCER * HOURS,
      "awsx:ecs:FargateService::service/service": fargate(2, 0.25, 0.5),
      "aws:rds/instance:Instance::db": RDS["postgres db.t3.large"] * HOURS + 20 * RDS.gp2,
    },
  },
  {
    dir: "aws-ts-eks",
    costs: {
      "awsx:ec2:Vpc::eks-vpc/nat-gateways": NAT * HOURS,
      "eks:index:Cluster::cluster/control-plane": EKS_CLUSTER * HOURS,
      "eks:index:Cluster::cluster/default-node-group": ec2("t3.medium", 20, "gp2", 2),
    },
  },
  {
    dir: "aws-ts-eks-managed-nodegroups",
    costs: {
      "eks:index:Cluster::cluster/control-plane": EKS_CLUSTER * HOURS,
      "eks:index:ManagedNodeGroup::standard/node-group": ec2("m5.large", 20, "gp2", 3),
      "eks:index:ManagedNodeGroup::spot/node-group": null,
    },
  },
  {
    dir: "kubernetes-ts-guestbook",
    costs: {
      "Deployment/redis-leader": pods(1, 0.1, 100 / 1024),
      "Deployment/redis-replica": pods(2, 0.1, 100 / 1024),
      "Deployment/frontend": pods(3, 0.1, 100 / 1024),
      "Service/frontend": 0.025 * HOURS, // a classic load balancer: elb_test
    },
  },
  { dir: "kubernetes-ts-nginx", costs: { "Deployment/web/nginx": pods(2, 0.25, 0.25) } },
  {
    dir: "aws-ts-apigateway-lambda",
    costs: { "aws:lambda/function:Function::hello": null, "aws-apigateway:index:RestAPI::api/api": null },
  },
  {
    dir: "aws-ts-s3-website",
    costs: {
      "aws:s3/bucketV2:BucketV2::site": null,
      "aws:s3/bucketObject:BucketObject::index.html": null,
      "aws:s3/bucketObject:BucketObject::style.css": null,
    },
  },
  {
    dir: "aws-ts-rds-mysql",
    costs: { "aws:rds/instance:Instance::mysql": RDS["mysql db.t3.micro"] * HOURS + 20 * RDS.gp2 },
  },
  { dir: "aws-ts-command-provisioner", costs: { "aws:ec2/instance:Instance::server": ec2("t3.small") } },
  {
    dir: "aws-ts-asg-launch-template",
    costs: {
      "aws:autoscaling/group:Group::workers": 3 * ((EC2["m5.large"] as number) * HOURS + 50 * EBS.gp3),
    },
  },
  {
    dir: "aws-ts-elasticache-redis",
    costs: {
      "aws:elasticache/cluster:Cluster::sessions": ELASTICACHE_M4_LARGE * HOURS,
      "aws:elasticache/replicationGroup:ReplicationGroup::catalogue": 2 * ELASTICACHE_M4_LARGE * HOURS,
    },
  },
  {
    dir: "aws-ts-ecs-fargate",
    costs: {
      "aws:lb/loadBalancer:LoadBalancer::app-lb": LOAD_BALANCER * HOURS,
      "aws:ecs/service:Service::app-svc": fargate(2, 0.5, 1),
    },
  },
  {
    dir: "aws-ts-vpc-nat",
    costs: {
      "aws:ec2/natGateway:NatGateway::nat": NAT * HOURS + 100 * NAT_DATA_PER_GB, // 100 GB from greenops-usage.yml
      "aws:ec2/eip:Eip::nat": EIP * HOURS,
    },
  },
  {
    dir: "aws-ts-nlb",
    costs: {
      "awsx:lb:NetworkLoadBalancer::ingress/load-balancer": LOAD_BALANCER * HOURS,
      "aws:ec2/instance:Instance::backend-a": ec2("m5.large"),
      "aws:ec2/instance:Instance::backend-b": ec2("m5.large"),
    },
  },
  {
    dir: "aws-ts-ebs-volumes",
    costs: {
      "aws:ebs/volume:Volume::logs": 100 * EBS.gp2,
      "aws:ebs/volume:Volume::data": 200 * EBS.gp3,
      "aws:ebs/volume:Volume::journal": 100 * EBS.io1 + 1000 * EBS.io1Iops,
      "aws:ebs/volume:Volume::archive": 500 * EBS.st1,
    },
  },
  {
    dir: "aws-ts-multi-region",
    // us-west-2 is not in the catalogs: not priced, never another region's price.
    costs: {
      "aws:ec2/instance:Instance::server-east": ec2("m5.large"),
      "aws:ec2/instance:Instance::server-west": null,
    },
  },
  {
    dir: "aws-ts-config-required",
    // serverCount is required and set nowhere: the placeholder 1 gives one server.
    costs: { "aws:ec2/instance:Instance::app-0": ec2("t3.large", 30, "gp3") },
  },
  { dir: "aws-ts-stack-reference", costs: { "aws:ec2/instance:Instance::worker": ec2("t3.medium") } },
  { dir: "monorepo/infra", costs: { "aws:ec2/instance:Instance::api": ec2("m5.xlarge") } },
  {
    dir: "workspace/stacks/app",
    under: "workspace",
    costs: { "aws:ec2/instance:Instance::app": ec2("t3.medium", 40, "gp3") },
  },
  {
    dir: "aws-ts-eks-nodegroupv2",
    costs: {
      "eks:index:Cluster::cluster/control-plane": EKS_CLUSTER * HOURS,
      "eks:index:NodeGroupV2::workers/node-group": ec2("m5.xlarge", 50, "gp3", 4),
    },
  },
  {
    dir: "aws-ts-lambda",
    // 1M requests of 200 ms at 512 MB (greenops-usage.yml): 100,000 GB-seconds.
    costs: {
      "aws:lambda/function:Function::resize": LAMBDA.perMillionRequests + 100_000 * LAMBDA.perGbSecond,
    },
  },
  {
    dir: "aws-ts-aurora-postgres",
    costs: {
      "aws:rds/cluster:Cluster::orders": null,
      "aws:rds/clusterInstance:ClusterInstance::orders-0": RDS["aurora-postgresql db.t3.large"] * HOURS,
      "aws:rds/clusterInstance:ClusterInstance::orders-1": RDS["aurora-postgresql db.t3.large"] * HOURS,
    },
  },
  {
    dir: "aws-ts-spot-workers",
    costs: {
      "aws:ec2/instance:Instance::bastion": ec2("t3.micro"),
      "aws:ec2/spotInstanceRequest:SpotInstanceRequest::worker": null,
    },
  },
  {
    dir: "kubernetes-ts-statefulset",
    costs: { "StatefulSet/postgres": pods(3, 0.5, 1) + 3 * 10 * OPENCOST.storagePerGiBHour * HOURS },
  },
  { dir: "kubernetes-ts-helm-chart", costs: {} },
  {
    dir: "aws-ts-instances-loop",
    costs: Object.fromEntries(
      [0, 1, 2].map((i) => [`aws:ec2/instance:Instance::worker-${i}`, ec2("m5.large")]),
    ),
  },
  {
    dir: "gcp-ts-webserver",
    costs: {},
    fails: /the program needs `@pulumi\/gcp`: install the project's dependencies/,
  },
  { dir: "aws-js-webserver", costs: { "aws:ec2/instance:Instance::web": ec2("t3.micro") } },
  { dir: "aws-ts-esm", costs: { "aws:ec2/instance:Instance::server": ec2("t3.small") } },
  {
    dir: "aws-ts-fargate-task-definition",
    // 1,280 CPU units and 3,584 MiB asked: awsx picks 2 vCPU and 4 GB.
    costs: { "awsx:ecs:FargateService::worker/service": fargate(2, 2, 4) },
  },
  {
    dir: "aws-ts-alb-ec2",
    costs: {
      "awsx:lb:ApplicationLoadBalancer::web/load-balancer dev": LOAD_BALANCER * HOURS,
      "aws:ec2/instance:Instance::web dev": ec2("m5.large", 20),
      "awsx:lb:ApplicationLoadBalancer::web/load-balancer prod": LOAD_BALANCER * HOURS,
      "aws:ec2/instance:Instance::web prod": ec2("m5.xlarge", 20),
    },
  },
];

const PROGRAM_ERROR = /the program (failed|needs|could not be read|did not finish|ended without)/;
const NOTHING_TO_PRICE = new Set(["free", "launch-template", "task-definition", "modifier"]);

let root: string;
let report: Report;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "greenops-pulumi-corpus-"));
  cpSync(new URL("../../fixtures/pulumi/corpus", import.meta.url).pathname, root, { recursive: true });
  // Every program of the corpus, with a budget that a loaded test machine cannot spend.
  report = await estimate(root, { projects: { programs: testPrograms(60_000, 900_000), local: { root } } });
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The resources declared under a folder (two stacks of a program are told apart by the stack's name). */
function costsOf(folder: string, stacks: boolean): Record<string, number | null> {
  const costs: Record<string, number | null> = {};
  for (const row of report.rows) {
    const { resource, estimate: e } = row.after ?? row.before ?? ({} as never);
    if (!resource.source.span.file.startsWith(`${folder}/`) || NOTHING_TO_PRICE.has(resource.demand.type))
      continue;
    const stack = resource.notes.find((n) => n.startsWith("Pulumi stack "))?.slice("Pulumi stack ".length);
    costs[stacks ? `${resource.id} ${stack}` : resource.id] = e.monthlyCost;
  }
  return costs;
}

describe("the Pulumi corpus: programs as teams write them", () => {
  it("has at least 30 programs, and at least 90 % evaluate without a program error", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    const failed = CORPUS.filter((p) =>
      report.diagnostics.some((d) => d.file.startsWith(`${p.dir}/`) && PROGRAM_ERROR.test(d.message)),
    );
    expect(failed.map((p) => p.dir)).toEqual(CORPUS.filter((p) => p.fails).map((p) => p.dir));
    expect(failed.length / CORPUS.length).toBeLessThanOrEqual(0.1);
  });

  it("names a required config value no file sets, and where the region came from when the stack gives none", () => {
    expect(report.diagnostics).toContainEqual({
      file: "aws-ts-config-required/Pulumi.dev.yaml",
      line: 1,
      severity: "notice",
      message:
        "stack dev: the program requires config aws-ts-config-required:serverCount, which neither aws-ts-config-required/Pulumi.dev.yaml nor Pulumi.yaml sets: it ran with the number placeholder 1",
    });
    const web = report.rows.find((r) => r.after?.resource.id === "aws:ec2/instance:Instance::web-server-www");
    expect(web?.after?.resource.notes).toContain(
      "region us-east-1 from the template default of aws:region in aws-ts-webserver/Pulumi.yaml",
    );
  });

  it.each(CORPUS.map((p) => [p.dir, p] as const))("%s", (dir, program) => {
    const stacks = Object.keys(program.costs).some((id) => id.includes(" "));
    const actual = costsOf(program.under ?? dir, stacks);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(program.costs).sort());
    for (const [id, expected] of Object.entries(program.costs)) {
      if (expected === null) expect(actual[id], id).toBeNull();
      else expect(Math.abs((actual[id] ?? Number.NaN) - expected) / expected, id).toBeLessThanOrEqual(0.01);
    }
    const errors = report.diagnostics.filter(
      (d) => d.file.startsWith(`${dir}/`) && PROGRAM_ERROR.test(d.message),
    );
    if (program.fails) expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(program.fails)]);
    else expect(errors).toEqual([]);
  });
});
