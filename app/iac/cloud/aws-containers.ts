import type { FargateDemand, TaskDefinitionDemand } from "../../model/cloud.ts";
import type { Attributes } from "./attributes.ts";
import { type Mapper, mapped } from "./types.ts";

/** An ECS service: its tasks on Fargate (vCPU and memory from its task definition, linked later). */
export const awsEcsService: Mapper = (attributes, context) => {
  const launch = attributes.string("launch_type");
  const providers = attributes.blocks("capacity_provider_strategy").map((b) => b.string("capacity_provider"));
  if (launch === "EC2" || launch === "EXTERNAL" || providers.some((p) => p && !p.startsWith("FARGATE"))) {
    return mapped({ type: "free" }, [
      "its tasks run on the cluster's own instances, which are estimated as instances",
    ]);
  }
  const notes: string[] = [];
  if (!launch && providers.length === 0) {
    notes.push(
      "no launch type or capacity provider strategy: Fargate is assumed (the cluster's default capacity provider decides)",
    );
  }
  const desired = attributes.number("desired_count");
  if (desired === undefined) notes.push("no desired_count: ECS's default of 0 tasks");
  const reference = attributes.string("task_definition");
  const spot = providers.length > 0 && providers.every((p) => p === "FARGATE_SPOT");
  const demand: FargateDemand = {
    type: "fargate",
    location: context.location,
    tasks: desired ?? 0,
    tasksBasis: desired === undefined ? "default" : "desired-count",
    ...(reference ? { taskDefinition: { refs: [reference, reference.replace(/:\d+$/, "")] } } : {}),
    at: { count: ["desired_count"] },
  };
  if (spot) {
    return mapped({ type: "unknown", reason: "Fargate Spot: the catalogs hold on-demand list prices only" });
  }
  return mapped(demand, notes);
};

/** An ECS task definition: the size its tasks get (Fargate needs task-level cpu and memory). */
export const awsEcsTaskDefinition: Mapper = (attributes, context) => {
  const size = taskSize(attributes);
  const demand: TaskDefinitionDemand = {
    type: "task-definition",
    location: context.location,
    refs: [attributes.string("family"), attributes.string("arn"), attributes.string("id")].filter(
      (v): v is string => Boolean(v),
    ),
    ...size,
  };
  return mapped(demand);
};

/** cpu and memory of a task definition: "256" CPU units or "1 vCPU"; "512" MiB or "2 GB". */
export function taskSize(
  attributes: Attributes,
): Pick<TaskDefinitionDemand, "vcpu" | "memoryGb" | "sizeBasis"> {
  const vcpu = quantity(attributes.raw("cpu"), /vcpu/i, 1024);
  const memoryGb = quantity(attributes.raw("memory"), /gb/i, 1024);
  if (vcpu === undefined || memoryGb === undefined) return {};
  return {
    vcpu,
    memoryGb,
    sizeBasis: `task size ${vcpu} vCPU, ${memoryGb} GB (cpu and memory of the task definition)`,
  };
}

/** A number in the unit the text names (`1 vCPU`, `2 GB`), else in units of 1/`per` of it (CPU units, MiB). */
function quantity(value: unknown, named: RegExp, per: number): number | undefined {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
  if (!match) return undefined;
  const number = Number(match[1]);
  return named.test(match[2] as string) ? number : number / per;
}
