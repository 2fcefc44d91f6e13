import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { one, runGreenOpsStack, secretValue } from "./pulumi-mocks.ts";

const STAGING = load(
  readFileSync(new URL("../../stacks/greenops/Pulumi.staging.yaml", import.meta.url), "utf8"),
) as { config: Record<string, unknown> };

describe("stacks/greenops, the staging stack (ElastiCache), under Pulumi's mocks", async () => {
  const config = {
    ...Object.fromEntries(
      Object.entries(STAGING.config).filter(([, v]) => !(v as { secure?: string }).secure),
    ),
    "greenops:privateKey": "-----BEGIN RSA PRIVATE KEY-----\ntest\n-----END RSA PRIVATE KEY-----\n",
    "greenops:webhookSecret": "webhook-secret",
    "greenops:redisAuthToken": "a-redis-auth-token-of-32-characters",
  };
  const registered = await runGreenOpsStack("staging", config, [
    "greenops:privateKey",
    "greenops:webhookSecret",
    "greenops:redisAuthToken",
  ]);

  it("runs Redis on ElastiCache (no Redis in the cluster): two zones, failover, encrypted, with AUTH", () => {
    expect(
      registered
        .filter((r) => r.name === "greenops-redis")
        .map((r) => r.type)
        .sort(),
    ).toEqual([
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:elasticache/subnetGroup:SubnetGroup",
    ]);
    const redis = one(registered, "aws:elasticache/replicationGroup:ReplicationGroup", "greenops-redis");
    expect(redis.inputs).toMatchObject({
      engine: "redis",
      nodeType: "cache.m4.large",
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
    });
    expect(secretValue(redis.inputs.authToken)).toBe("a-redis-auth-token-of-32-characters");
    const group = one(registered, "aws:ec2/securityGroup:SecurityGroup", "greenops-redis");
    expect(group.inputs.ingress).toEqual([
      { protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["10.40.0.0/16"] },
    ]);
    const subnets = one(registered, "aws:elasticache/subnetGroup:SubnetGroup", "greenops-redis");
    expect(subnets.inputs.subnetIds).toEqual(["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"]);
  });

  it("gives the App a TLS REDIS_URL with the token, as a secret", () => {
    const secret = one(registered, "kubernetes:core/v1:Secret", "greenops-app");
    expect(secretValue(secret.inputs.stringData)).toMatchObject({
      REDIS_URL:
        "rediss://:a-redis-auth-token-of-32-characters@master.greenops-redis.x1y2z3.use1.cache.amazonaws.com:6379",
    });
  });
});
