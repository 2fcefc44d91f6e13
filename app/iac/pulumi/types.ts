import { hasCostModel, isFree } from "../cloud/index.ts";

/**
 * Pulumi's bridged providers (pulumi-aws, pulumi-azure, pulumi-gcp) wrap Terraform providers: a
 * type token `aws:ec2/instance:Instance` is the resource `aws_instance`, with the same attributes in
 * camelCase. Tokens whose Terraform name does not follow from the token are listed.
 */
const TOKENS: Record<string, string> = {
  "aws:ec2/instance:Instance": "aws_instance",
  "aws:ec2/spotInstanceRequest:SpotInstanceRequest": "aws_spot_instance_request",
  "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
  "aws:ec2/launchConfiguration:LaunchConfiguration": "aws_launch_configuration",
  "aws:autoscaling/group:Group": "aws_autoscaling_group",
  "aws:eks/nodeGroup:NodeGroup": "aws_eks_node_group",
  "aws:eks/cluster:Cluster": "aws_eks_cluster",
  "aws:ebs/volume:Volume": "aws_ebs_volume",
  "aws:rds/instance:Instance": "aws_db_instance",
  "aws:rds/clusterInstance:ClusterInstance": "aws_rds_cluster_instance",
  "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
  "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
  "aws:elasticache/cluster:Cluster": "aws_elasticache_cluster",
  "aws:elasticache/replicationGroup:ReplicationGroup": "aws_elasticache_replication_group",
  "aws:ec2/natGateway:NatGateway": "aws_nat_gateway",
  "aws:ec2/eip:Eip": "aws_eip",
  "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
  "aws:alb/loadBalancer:LoadBalancer": "aws_alb",
  "aws:elb/loadBalancer:LoadBalancer": "aws_elb",
  "aws:lambda/function:Function": "aws_lambda_function",
  "azure:compute/linuxVirtualMachine:LinuxVirtualMachine": "azurerm_linux_virtual_machine",
  "azure:compute/windowsVirtualMachine:WindowsVirtualMachine": "azurerm_windows_virtual_machine",
  "azure:compute/virtualMachine:VirtualMachine": "azurerm_virtual_machine",
  "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet":
    "azurerm_linux_virtual_machine_scale_set",
  "azure:containerservice/kubernetesCluster:KubernetesCluster": "azurerm_kubernetes_cluster",
  "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool":
    "azurerm_kubernetes_cluster_node_pool",
  "gcp:compute/instance:Instance": "google_compute_instance",
  "gcp:container/nodePool:NodePool": "google_container_node_pool",
  "gcp:container/cluster:Cluster": "google_container_cluster",
};

const PREFIXES: Record<string, string> = { aws: "aws", azure: "azurerm", gcp: "google" };

/** The Terraform type of a bridged Pulumi token, or undefined when it is not a bridged provider's. */
export function terraformType(token: string): string | undefined {
  const listed = TOKENS[token];
  if (listed) return listed;
  const match = /^(aws|azure|gcp):([\w-]+)\/(\w+):\w+$/.exec(token);
  const prefix = match && PREFIXES[match[1] as string];
  if (!match || !prefix) return undefined;
  const snake = (match[3] as string).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  // aws:iam/role:Role is aws_iam_role; aws:ec2/securityGroup:SecurityGroup is aws_security_group.
  const candidates = [`${prefix}_${match[2]}_${snake}`, `${prefix}_${snake}`];
  return candidates.find((t) => hasCostModel(t) || isFree(t)) ?? (candidates[0] as string);
}

/** `kubernetes:apps/v1:Deployment` → apps/v1 Deployment; `kubernetes:core/v1:Service` → v1 Service. */
export function kubernetesKind(token: string): { apiVersion: string; kind: string } | undefined {
  const match = /^kubernetes:([\w.-]+)\/(v[\w]+):(\w+)$/.exec(token);
  if (!match) return undefined;
  const [, group, version, kind] = match as unknown as [string, string, string, string];
  return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

/** Component tokens that only the provider plugin expands: their children are not registered. */
export const UNEXPANDED =
  /^kubernetes:(yaml\/v2:ConfigGroup|yaml\/v2:ConfigFile|helm\.sh\/v\d:(Chart|Release)|kustomize\/v2:Directory)$/;
