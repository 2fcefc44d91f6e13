/**
 * The few AWS provider bindings this app uses, typed as `cdktf get` generates them (Terraform's
 * argument names, one type per resource) but only with the arguments used here:
 * @cdktf/provider-aws holds every AWS type and unpacks to ~390 MB.
 */
import { TerraformProvider, TerraformResource } from "cdktf";
import type { Construct } from "constructs";

export class AwsProvider extends TerraformProvider {
  readonly #region: string;
  constructor(scope: Construct, id: string, config: { region: string }) {
    super(scope, id, { terraformResourceType: "aws", terraformProviderSource: "hashicorp/aws" });
    this.#region = config.region;
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { region: this.#region };
  }
}

type Rule = { protocol: string; from_port: number; to_port: number; cidr_blocks: string[] };

/** Terraform type → its arguments. */
export type AwsArguments = {
  aws_security_group: { vpc_id: string; description: string; ingress: Rule[] };
  aws_elasticache_subnet_group: { name: string; subnet_ids: string[] };
  aws_elasticache_replication_group: {
    replication_group_id: string;
    description: string;
    engine: "redis" | "valkey";
    engine_version: string;
    node_type: string;
    num_cache_clusters: number;
    automatic_failover_enabled: boolean;
    multi_az_enabled: boolean;
    at_rest_encryption_enabled: boolean;
    transit_encryption_enabled: boolean;
    auth_token: string;
    parameter_group_name: string;
    subnet_group_name: string;
    security_group_ids: string[];
  };
};

/** One AWS resource; read its attributes with getStringAttribute ("id", "primary_endpoint_address"). */
export class AwsResource<T extends keyof AwsArguments> extends TerraformResource {
  readonly #args: AwsArguments[T];
  constructor(scope: Construct, id: string, type: T, args: AwsArguments[T]) {
    super(scope, id, { terraformResourceType: type });
    this.#args = args;
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.#args };
  }
}
