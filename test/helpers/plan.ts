/** A resource of a hand-written plan: its address, type, attribute values after the change, and references. */
export type PlannedResource = {
  address: string;
  type?: string;
  after?: Record<string, unknown> | null;
  before?: Record<string, unknown> | null;
  actions?: string[];
  /** Launch templates the resource refers to in its configuration (their ids are unknown until apply). */
  references?: string[];
};

/** Terraform plan JSON (format 1.2) for these resources, with an aws provider in `region`. */
export function planJson(resources: PlannedResource[], region = "us-east-1"): string {
  const resource_changes = resources.map((r) => {
    const parts = r.address.replace(/\[[^\]]*\]$/, "").split(".");
    const type = r.type ?? parts.at(-2) ?? "";
    const name = parts.at(-1) ?? "";
    const after = r.after === undefined ? {} : r.after;
    const before = r.before ?? null;
    const actions = r.actions ?? (before === null ? ["create"] : after === null ? ["delete"] : ["update"]);
    return {
      address: r.address,
      mode: "managed",
      type,
      name,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: { actions, before, after, after_unknown: {} },
    };
  });
  const configuration = {
    provider_config: { aws: { name: "aws", expressions: { region: { constant_value: region } } } },
    root_module: {
      resources: resources.map((r) => ({
        address: r.address.replace(/\[.*$/, ""),
        provider_config_key: "aws",
        expressions: r.references ? { launch_template: [{ id: { references: r.references } }] } : {},
      })),
    },
  };
  return JSON.stringify(
    { format_version: "1.2", terraform_version: "1.11.4", resource_changes, configuration },
    null,
    2,
  );
}
