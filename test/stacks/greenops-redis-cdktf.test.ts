import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { GreenOpsRedis } from "../../stacks/greenops-redis-cdktf/stack.ts";

/** A Terraform interpolation, as CDKTF writes references: `${var.auth_token}`. */
const tf = (expression: string) => `\${${expression}}`;

describe("stacks/greenops-redis-cdktf, synthesized by CDKTF", () => {
  const stack = new GreenOpsRedis(Testing.app(), "greenops-redis", {
    region: "us-east-1",
    nodeType: "cache.m4.large",
  });
  const synthesized = JSON.parse(Testing.synth(stack));

  it("writes the same AWS pieces as the Pulumi program: security group, subnet group, replication group", () => {
    expect(Object.keys(synthesized.resource).sort()).toEqual([
      "aws_elasticache_replication_group",
      "aws_elasticache_subnet_group",
      "aws_security_group",
    ]);
    expect(synthesized.provider.aws).toEqual([{ region: "us-east-1" }]);
    expect(synthesized.resource.aws_elasticache_replication_group.greenops_redis).toMatchObject({
      engine: "redis",
      node_type: "cache.m4.large",
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      at_rest_encryption_enabled: true,
      transit_encryption_enabled: true,
      auth_token: tf("var.auth_token"),
      subnet_group_name: tf("aws_elasticache_subnet_group.greenops_redis_subnets.name"),
      security_group_ids: [tf("aws_security_group.greenops_redis_sg.id")],
    });
    expect(synthesized.resource.aws_security_group.greenops_redis_sg.ingress).toEqual([
      { protocol: "tcp", from_port: 6379, to_port: 6379, cidr_blocks: [tf("var.cluster_cidr")] },
    ]);
  });

  it("keeps the AUTH token and the REDIS_URL it makes sensitive", () => {
    expect(synthesized.variable.auth_token).toMatchObject({ type: "string", sensitive: true });
    expect(synthesized.output.redis_url).toMatchObject({
      sensitive: true,
      value: `rediss://:${tf("var.auth_token")}@${tf("aws_elasticache_replication_group.greenops_redis.primary_endpoint_address")}:6379`,
    });
  });
});
