import type { CloudLocation, PurchaseOption } from "../../model/cloud.ts";
import type { Demand } from "../../model/resource.ts";
import type { Attributes } from "./attributes.ts";

/** What a mapper knows besides the resource's attributes. */
export type CloudContext = {
  /** The resource's address (Terraform) or name (Pulumi): the key of its usage-file entry. */
  address: string;
  /** The region of the resource's provider (or stack, or environment), and where it was read. */
  location: CloudLocation;
  /** The resource's entry in a usage file (infracost-usage.yml / greenops-usage.yml), if any. */
  usage?: Attributes;
  usageFile?: string;
};

/** Something the reader of the report should know, tied to an attribute when there is one. */
export type Problem = { severity: "error" | "warning" | "notice"; message: string; attribute?: string };

export type Mapped = { demand: Demand; notes: string[]; problems: Problem[] };

/** Reads one resource type's attributes into demand. */
export type Mapper = (attributes: Attributes, context: CloudContext) => Mapped;

export function mapped(demand: Demand, notes: string[] = [], problems: Problem[] = []): Mapped {
  return { demand, notes, problems };
}

/** A purchase option declared in a usage file (Infracost's `reserved_instance_type`). */
export function usagePurchaseOption(context: CloudContext): PurchaseOption | undefined {
  return context.usage?.string("reserved_instance_type") ? "reserved" : undefined;
}
