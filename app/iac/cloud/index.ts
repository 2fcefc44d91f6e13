import type { Cloud } from "../../config/environment-settings.ts";
import type { Attributes } from "./attributes.ts";
import { AWS_MAPPERS } from "./aws.ts";
import { AZURE_GCP_MAPPERS } from "./azure-gcp.ts";
import { type CloudContext, type Mapped, type Mapper, mapped } from "./types.ts";

const MAPPERS: Record<string, Mapper> = { ...AWS_MAPPERS, ...AZURE_GCP_MAPPERS };

/**
 * Resource types that cost nothing by nature: identity, network plumbing without an hourly charge,
 * settings and associations, and resources that exist only in the IaC tool.
 */
const FREE = [
  /^aws_(iam|security_group|vpc$|vpc_security_group|subnet|route|internet_gateway|egress_only_internet_gateway|network_acl|default_|key_pair|eip_association|volume_attachment|network_interface_attachment|placement_group|main_route_table_association)/,
  /^aws_(lb|alb)_(listener|target_group)/,
  /^aws_autoscaling_(policy|attachment|lifecycle_hook|notification|schedule|traffic_source_attachment)/,
  /^aws_(db|rds_cluster|elasticache)_(subnet|parameter|option)_group/,
  /^aws_eks_(addon|access_entry|access_policy_association|identity_provider_config|pod_identity_association)/,
  /^aws_lambda_(permission|alias|event_source_mapping|function_event_invoke_config)/,
  /^aws_ecs_(cluster|cluster_capacity_providers|account_setting_default)$/,
  /^aws_s3_bucket_(website_configuration|versioning|public_access_block|policy|acl|ownership_controls|cors_configuration|server_side_encryption_configuration|lifecycle_configuration|logging|notification)(_v2)?$/,
  /^aws_appautoscaling_(target|policy|scheduled_action)$/,
  /^azurerm_(resource_group|virtual_network|subnet|network_security_group|network_security_rule|network_interface|role_assignment|role_definition|user_assigned_identity|availability_set)/,
  /^google_(compute_(network|subnetwork|firewall|route)$|service_account|project_service|.*_iam_)/,
  /^(terraform_data|null_resource|random_|tls_|time_|local_|kubernetes_(namespace|config_map|secret|service_account|role|cluster_role))/,
];

const CLOUDS: [string, Cloud][] = [
  ["aws_", "aws"],
  ["azurerm_", "azure"],
  ["google_", "gcp"],
];

/** The cloud a Terraform resource type belongs to (by its provider prefix). */
export function cloudOf(type: string): Cloud | undefined {
  return CLOUDS.find(([prefix]) => type.startsWith(prefix))?.[1];
}

export function hasCostModel(type: string): boolean {
  return type in MAPPERS;
}

export function isFree(type: string): boolean {
  return FREE.some((pattern) => pattern.test(type));
}

/**
 * Reads a Terraform-typed resource (Terraform plans, CDKTF, Pulumi through its type map) into demand.
 * Types without a cost model are "not estimated", never $0; free ones are listed as free.
 */
export function mapCloudResource(type: string, attributes: Attributes, context: CloudContext): Mapped {
  const mapper = MAPPERS[type];
  if (mapper) return mapper(attributes, context);
  if (isFree(type)) return mapped({ type: "free" });
  const reason = `no cost model for ${type}`;
  return mapped(
    { type: "unknown", reason },
    [],
    [{ severity: "notice", message: `${reason}; not estimated` }],
  );
}
