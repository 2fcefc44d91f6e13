import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider, AwsResource } from "./aws.ts";

export type RedisSettings = { region: string; nodeType: string };

/**
 * GreenOps' job queue on ElastiCache, for teams on Terraform: the AWS pieces of stacks/greenops
 * (Pulumi) as a CDKTF stack. Two nodes in two zones with automatic failover, encrypted at rest and in
 * transit, an AUTH token, reachable from the cluster's CIDR only. Its output is the App's REDIS_URL.
 */
export class GreenOpsRedis extends TerraformStack {
  constructor(scope: Construct, id: string, settings: RedisSettings) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: settings.region });
    const variable = (name: string, type: string, description: string, sensitive = false) =>
      new TerraformVariable(this, name, { type, description, sensitive });
    const vpcId = variable("vpc_id", "string", "The cluster's VPC");
    const subnetIds = variable("subnet_ids", "list(string)", "Private subnets in two or more zones");
    const clusterCidr = variable("cluster_cidr", "string", "The cluster's pod and node CIDR");
    const authToken = variable("auth_token", "string", "Redis AUTH token (16 to 128 characters)", true);
    const group = new AwsResource(this, "greenops_redis_sg", "aws_security_group", {
      vpc_id: vpcId.stringValue,
      description: "GreenOps' Redis: reachable from the cluster only",
      ingress: [{ protocol: "tcp", from_port: 6379, to_port: 6379, cidr_blocks: [clusterCidr.stringValue] }],
    });
    const subnets = new AwsResource(this, "greenops_redis_subnets", "aws_elasticache_subnet_group", {
      name: "greenops-redis",
      subnet_ids: subnetIds.listValue,
    });
    const redis = new AwsResource(this, "greenops_redis", "aws_elasticache_replication_group", {
      replication_group_id: "greenops-redis",
      description: "GreenOps job queue",
      engine: "redis",
      engine_version: "7.1",
      node_type: settings.nodeType,
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      at_rest_encryption_enabled: true,
      transit_encryption_enabled: true,
      auth_token: authToken.stringValue,
      parameter_group_name: "default.redis7",
      subnet_group_name: subnets.getStringAttribute("name"),
      security_group_ids: [group.getStringAttribute("id")],
    });
    new TerraformOutput(this, "redis_url", {
      description: "REDIS_URL for the App's secret",
      sensitive: true,
      value: `rediss://:${authToken.stringValue}@${redis.getStringAttribute("primary_endpoint_address")}:6379`,
    });
  }
}
