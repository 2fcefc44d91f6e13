import type { Disk } from "../model/cloud.ts";
import type { Demand } from "../model/resource.ts";

/** The inputs of a cloud resource's estimate, for the JSON report's breakdown (docs/report-schema.json). */
export function cloudInputs(demand: Demand): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  switch (demand.type) {
    case "instance":
      inputs.instance = {
        type: demand.instanceType ?? null,
        count: demand.count,
        countBasis: demand.countBasis,
        os: demand.os,
        purchaseOption: demand.purchaseOption,
        tenancy: demand.tenancy,
        ...(demand.template?.linked ? { template: demand.template.linked } : {}),
      };
      inputs.disks = demand.disks.map(diskJson);
      break;
    case "launch-template":
      inputs.instance = { type: demand.instanceType ?? null, tenancy: demand.tenancy };
      inputs.disks = demand.disks.map(diskJson);
      break;
    case "disk":
      inputs.disks = [diskJson(demand.disk)];
      break;
    case "database":
      inputs.database = {
        engine: demand.engine,
        instanceClass: demand.instanceClass ?? null,
        multiAz: demand.multiAz,
        purchaseOption: demand.purchaseOption,
      };
      if (demand.storage) inputs.disks = [diskJson(demand.storage)];
      break;
    case "cache":
      inputs.cache = { engine: demand.engine, nodeType: demand.nodeType ?? null, nodes: demand.nodes };
      break;
    case "hourly-service":
      inputs.service = demand.service;
      if (demand.count !== undefined) inputs.count = demand.count;
      break;
    case "fargate":
      inputs.fargate = {
        tasks: demand.tasks,
        tasksBasis: demand.tasksBasis,
        vcpu: demand.vcpu ?? null,
        memoryGb: demand.memoryGb ?? null,
        ...(demand.taskDefinition?.linked ? { taskDefinition: demand.taskDefinition.linked } : {}),
      };
      break;
    case "task-definition":
      inputs.fargate = { vcpu: demand.vcpu ?? null, memoryGb: demand.memoryGb ?? null };
      break;
    case "function":
      inputs.function = {
        memoryMb: demand.memoryMb,
        architecture: demand.architecture,
        ...(demand.usage ? { usage: demand.usage } : {}),
      };
      break;
  }
  return inputs;
}

function diskJson(disk: Disk): object {
  return {
    label: disk.label,
    volumeType: disk.volumeType,
    sizeGb: disk.sizeGb,
    ...(disk.iops === undefined ? {} : { iops: disk.iops }),
    ...(disk.throughputMBps === undefined ? {} : { throughputMBps: disk.throughputMBps }),
  };
}
