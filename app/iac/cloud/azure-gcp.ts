import type { CloudLocation, InstanceDemand } from "../../model/cloud.ts";
import type { Attributes } from "./attributes.ts";
import { type CloudContext, type Mapper, mapped, usagePurchaseOption } from "./types.ts";

const OS_DISK_NOTE = "the OS disk (a managed disk) is not in the catalogs: not included";

/** Azure names regions "East US" or "eastus"; prices and grid factors use the ARM name. */
function azureLocation(attributes: Attributes, context: CloudContext): CloudLocation {
  const location = attributes.string("location");
  if (!location) return context.location;
  return { cloud: "azure", region: location.toLowerCase().replaceAll(" ", ""), regionBasis: "resource" };
}

function vm(
  context: CloudContext,
  location: CloudLocation,
  fields: {
    size?: string;
    count: number;
    countBasis: InstanceDemand["countBasis"];
    windows: boolean;
    spot: boolean;
  },
): InstanceDemand {
  const demand: InstanceDemand = {
    type: "instance",
    location,
    os: fields.windows ? "windows" : "linux",
    count: fields.count,
    countBasis: fields.countBasis,
    disks: [],
    purchaseOption: usagePurchaseOption(context) ?? (fields.spot ? "spot" : "on-demand"),
    tenancy: "default",
  };
  if (fields.size) demand.instanceType = fields.size;
  return demand;
}

function azureVm(windows: boolean, sizeKey: string): Mapper {
  return (attributes, context) => {
    const isWindows = windows || attributes.block("os_profile_windows_config") !== undefined;
    const demand = vm(context, azureLocation(attributes, context), {
      size: attributes.string(sizeKey),
      count: 1,
      countBasis: "single",
      windows: isWindows,
      spot: attributes.string("priority") === "Spot",
    });
    return mapped(demand, [OS_DISK_NOTE]);
  };
}

function azureScaleSet(windows: boolean): Mapper {
  return (attributes, context) => {
    const instances = attributes.number("instances");
    const demand = vm(context, azureLocation(attributes, context), {
      size: attributes.string("sku") ?? attributes.string("sku_name"),
      count: instances ?? 1,
      countBasis: instances === undefined ? "default" : "count",
      windows,
      spot: attributes.string("priority") === "Spot",
    });
    return mapped(demand, [OS_DISK_NOTE]);
  };
}

/** An AKS node pool: `node_count`, or `min_count` when the autoscaler owns the count. */
function aksPool(pool: Attributes, context: CloudContext, location: CloudLocation) {
  const count = pool.number("node_count") ?? pool.number("min_count");
  const demand = vm(context, location, {
    size: pool.string("vm_size"),
    count: count ?? 1,
    countBasis:
      pool.number("node_count") !== undefined ? "count" : count !== undefined ? "min-size" : "default",
    windows: pool.string("os_type") === "Windows",
    spot: pool.string("priority") === "Spot",
  });
  return mapped(demand, [OS_DISK_NOTE]);
}

const azureKubernetesCluster: Mapper = (attributes, context) => {
  const pool = attributes.block("default_node_pool");
  const location = azureLocation(attributes, context);
  if (!pool) return mapped({ type: "unknown", reason: "the cluster has no default_node_pool block" });
  const result = aksPool(pool, context, location);
  const tier = attributes.string("sku_tier") ?? "Free";
  if (tier !== "Free" && result.demand.type === "instance") {
    result.demand.unpricedParts = [`the AKS ${tier} tier's control plane`];
  }
  result.notes.push("priced as its default node pool's virtual machines");
  return result;
};

const azureKubernetesNodePool: Mapper = (attributes, context) =>
  aksPool(attributes, context, context.location);

function gcpLocation(attributes: Attributes, context: CloudContext): CloudLocation {
  const zone = attributes.string("zone") ?? attributes.string("location");
  if (!zone) return context.location;
  return { cloud: "gcp", region: zone.replace(/-[a-z]$/, ""), regionBasis: "resource" };
}

const googleComputeInstance: Mapper = (attributes, context) => {
  const scheduling = attributes.block("scheduling");
  const spot =
    scheduling?.boolean("preemptible") === true || scheduling?.string("provisioning_model") === "SPOT";
  const demand = vm(context, gcpLocation(attributes, context), {
    size: attributes.string("machine_type"),
    count: 1,
    countBasis: "single",
    windows: false,
    spot,
  });
  const gpus = attributes.blocks("guest_accelerator");
  if (gpus.length > 0) demand.unpricedParts = gpus.map((g) => `GPU ${g.string("type") ?? "(unknown type)"}`);
  return mapped(demand, ["the boot disk is not in the catalogs: not included"]);
};

const googleContainerNodePool: Mapper = (attributes, context) => {
  const config = attributes.block("node_config");
  const autoscaling = attributes.block("autoscaling");
  const count =
    attributes.number("node_count") ??
    autoscaling?.number("min_node_count") ??
    attributes.number("initial_node_count");
  const location = gcpLocation(attributes, context);
  const demand = vm(context, location, {
    size: config?.string("machine_type") ?? "e2-medium",
    count: count ?? 1,
    countBasis: count === undefined ? "default" : "count",
    windows: false,
    spot: config?.boolean("spot") === true || config?.boolean("preemptible") === true,
  });
  const notes = ["boot disks are not in the catalogs: not included"];
  if (!config?.string("machine_type")) notes.push("no machine_type: GKE's default e2-medium is assumed");
  if (attributes.string("location") && !/-[a-z]$/.test(attributes.string("location") ?? "")) {
    notes.push("a regional pool runs node_count nodes in each zone: counted once here");
  }
  return mapped(demand, notes);
};

export const AZURE_GCP_MAPPERS: Record<string, Mapper> = {
  azurerm_linux_virtual_machine: azureVm(false, "size"),
  azurerm_windows_virtual_machine: azureVm(true, "size"),
  azurerm_virtual_machine: azureVm(false, "vm_size"),
  azurerm_linux_virtual_machine_scale_set: azureScaleSet(false),
  azurerm_windows_virtual_machine_scale_set: azureScaleSet(true),
  azurerm_kubernetes_cluster: azureKubernetesCluster,
  azurerm_kubernetes_cluster_node_pool: azureKubernetesNodePool,
  google_compute_instance: googleComputeInstance,
  google_container_node_pool: googleContainerNodePool,
  google_container_cluster: () =>
    mapped({ type: "unknown", reason: "no price for the GKE cluster management fee in the catalogs" }),
};
