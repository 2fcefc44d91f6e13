import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitAll } from "./corpus.ts";

/**
 * A Terraform plan of `count` resource changes, as `terraform show -json` writes them (one line):
 * instances, autoscaling groups with launch templates, EBS volumes, RDS instances, NAT gateways and
 * IAM roles, created, updated and replaced.
 */
export function planCorpus(root: string, count: number): string {
  const dir = join(root, `plan-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const types = ["t3.large", "m5.xlarge", "c5.2xlarge", "r5.large"];
  const changes: object[] = [];
  const configuration: object[] = [];
  for (let n = 0; n < count; n++) {
    const kind = n % 6;
    const address = [
      `module.team_${n % 20}.aws_instance.web[${n}]`,
      `module.team_${n % 20}.aws_ebs_volume.data[${n}]`,
      `module.team_${n % 20}.aws_db_instance.db_${n}`,
      `module.team_${n % 20}.aws_nat_gateway.egress_${n}`,
      `module.team_${n % 20}.aws_iam_role.app_${n}`,
      `module.team_${n % 20}.aws_autoscaling_group.workers_${n}`,
    ][kind] as string;
    const type = address.split(".")[2]?.replace(/\[.*$/, "") ?? "";
    const after = [
      {
        ami: "ami-0123456789abcdef0",
        instance_type: types[n % 4],
        root_block_device: [{ volume_size: 50, volume_type: "gp3" }],
        tags: { team: `team-${n % 20}` },
      },
      {
        availability_zone: "us-east-1a",
        size: 100 + (n % 400),
        type: "gp3",
        iops: 3000 + (n % 5) * 1000,
        throughput: 125,
      },
      {
        engine: "postgres",
        instance_class: "db.t3.large",
        allocated_storage: 100,
        storage_type: "gp2",
        multi_az: n % 2 === 0,
      },
      { connectivity_type: "public" },
      { name: `app-${n}`, assume_role_policy: "{}" },
      { desired_capacity: 3, max_size: 6, min_size: 1, launch_template: [{ id: null, version: "$Latest" }] },
    ][kind];
    const before = n % 3 === 0 ? null : { ...after, ...(kind === 0 ? { instance_type: "t3.medium" } : {}) };
    const actions = before === null ? ["create"] : n % 7 === 0 ? ["delete", "create"] : ["update"];
    changes.push({
      address,
      module_address: `module.team_${n % 20}`,
      mode: "managed",
      type,
      name: address.split(".")[3]?.replace(/\[.*$/, ""),
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions, before, after, after_unknown: { id: true, arn: true } },
    });
    if (n < 120)
      configuration.push({
        address: address.replace(/^module\.team_\d+\./, "").replace(/\[.*$/, ""),
        provider_config_key: "aws",
        expressions:
          kind === 5
            ? {
                launch_template: [
                  { id: { references: ["aws_launch_template.workers.id", "aws_launch_template.workers"] } },
                ],
              }
            : {},
      });
  }
  const plan = {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: changes,
    configuration: {
      provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "us-east-1" } } } },
      root_module: {
        module_calls: Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`team_${i}`, { module: { resources: configuration } }]),
        ),
      },
    },
  };
  writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
  commitAll(dir);
  return dir;
}

/** A Pulumi TypeScript program that registers `count` resources: EC2 instances, EBS volumes, Deployments. */
export function pulumiCorpus(root: string, count: number): string {
  const dir = join(root, `pulumi-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), "name: bench\nruntime: nodejs\n");
  writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
  writeFileSync(
    join(dir, "index.ts"),
    `import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

const types = ["t3.large", "m5.xlarge", "c5.2xlarge"];
for (let n = 0; n < ${count}; n++) {
  if (n % 3 === 0) {
    new aws.ec2.Instance(\`web-\${n}\`, { ami: "ami-0123456789abcdef0", instanceType: types[n % 3], rootBlockDevice: { volumeSize: 50, volumeType: "gp3" } });
  } else if (n % 3 === 1) {
    new aws.ebs.Volume(\`data-\${n}\`, { availabilityZone: "us-east-1a", size: 100, type: "gp3" });
  } else {
    const labels = { app: \`svc-\${n}\` };
    new k8s.apps.v1.Deployment(\`svc-\${n}\`, {
      metadata: { namespace: "bench", labels },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "nginx", resources: { requests: { cpu: "250m", memory: "256Mi" } } }] } } },
    });
  }
}
`,
  );
  commitAll(dir);
  return dir;
}

/**
 * A program of `count` resources written one by one (literal inputs, a config read with its default),
 * about 3.5 lines each, with one Pulumi.<stack>.yaml per stack name, each a size of its own.
 */
export function pulumiStacksCorpus(root: string, count: number, stacks: string[]): string {
  const dir = join(root, `pulumi-stacks-${stacks.length}-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), "name: bench\nruntime: nodejs\n");
  const sizes = ["t3.micro", "t3.large", "m5.xlarge", "c5.2xlarge", "r5.large"];
  stacks.forEach((stack, i) => {
    const config = `config:\n  aws:region: us-east-1\n  bench:size: ${sizes[i % sizes.length]}\n`;
    writeFileSync(join(dir, `Pulumi.${stack}.yaml`), config);
  });
  const resources = Array.from({ length: count }, (_, n) =>
    n % 2 === 0
      ? `new aws.ec2.Instance("web-${n}", {
  ami: "ami-0123456789abcdef0",
  instanceType: config.get("size") ?? "t3.micro",
  rootBlockDevice: { volumeSize: 50, volumeType: "gp3" },
  tags: { Name: "web-${n}", team: "shop" },
});`
      : `new aws.ebs.Volume("data-${n}", { availabilityZone: "us-east-1a", size: 100, type: "gp3" });`,
  );
  const head =
    'import * as aws from "@pulumi/aws";\nimport * as pulumi from "@pulumi/pulumi";\n\nconst config = new pulumi.Config();\n';
  writeFileSync(join(dir, "index.ts"), `${head}\n${resources.join("\n")}\n`);
  commitAll(dir);
  return dir;
}

/**
 * A program of awsx components that registers `count` resources: per service, a Fargate service
 * behind its own load balancer, its cluster, log group and bucket, in one VPC.
 */
export function awsxCorpus(root: string, count: number): string {
  const dir = join(root, `pulumi-awsx-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), "name: bench-awsx\nruntime: nodejs\n");
  writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
  writeFileSync(
    join(dir, "index.ts"),
    `import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const vpc = new awsx.ec2.Vpc("vpc", { numberOfAvailabilityZones: 2 });
for (let n = 0; n < ${Math.floor((count - 1) / 5)}; n++) {
  const cluster = new aws.ecs.Cluster(\`cluster-\${n}\`);
  const lb = new awsx.lb.ApplicationLoadBalancer(\`lb-\${n}\`, { subnetIds: vpc.publicSubnetIds });
  new aws.cloudwatch.LogGroup(\`logs-\${n}\`, { retentionInDays: 7 });
  new aws.s3.BucketV2(\`assets-\${n}\`);
  new awsx.ecs.FargateService(\`svc-\${n}\`, {
    cluster: cluster.arn,
    desiredCount: 2,
    networkConfiguration: { subnets: vpc.privateSubnetIds },
    taskDefinitionArgs: {
      container: { name: "app", image: "nginx", cpu: 512, memory: 1024, essential: true,
        portMappings: [{ containerPort: 80, targetGroup: lb.defaultTargetGroup }] },
    },
  });
}
`,
  );
  commitAll(dir);
  return dir;
}

/** The Pulumi corpus of the tests (test/fixtures/pulumi/corpus), as a repository of its own. */
export function pulumiProgramsCorpus(root: string): string {
  const dir = join(root, "pulumi-programs");
  rmSync(dir, { recursive: true, force: true });
  cpSync(new URL("../fixtures/pulumi/corpus", import.meta.url).pathname, dir, { recursive: true });
  commitAll(dir);
  return dir;
}
