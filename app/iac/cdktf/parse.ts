import type { Resource } from "../../model/resource.ts";
import type { Diagnostic, Span } from "../../model/span.ts";
import { Attributes, isRecord } from "../cloud/attributes.ts";
import { cloudResource, locationFor } from "../cloud/resource.ts";
import type { ParseContext, ParseResult } from "../format.ts";
import { type JsonFile, readJsonFile } from "../json/json-file.ts";
import { type TerraformJson, validateTerraformJson } from "./schema.ts";

const TEMPLATE_REF = /\$\{((?:module\.[\w-]+\.)*aws_launch_(?:template|configuration)\.[\w-]+)[.}]/g;

/**
 * A synthesized CDKTF stack (`cdk.tf.json`) or any Terraform JSON configuration (`*.tf.json`): the
 * desired resources, as the configuration declares them. A literal `count` expands into indexed
 * addresses; values that are interpolations (`${…}`) are known only after apply.
 */
export function parseTerraformJson(file: string, text: string, context: ParseContext): ParseResult {
  const read = readJsonFile(file, text);
  if ("diagnostics" in read) return { resources: [], diagnostics: read.diagnostics };
  const { json } = read;
  const config = json.value;
  if (!validateTerraformJson(config)) {
    const error = validateTerraformJson.errors?.[0];
    const line = json.locatePath(error?.instancePath.split("/").slice(1) ?? [])?.value.startLine ?? 1;
    const message = `not a Terraform JSON configuration: ${error?.instancePath} ${error?.message}; the file is not estimated`;
    return { resources: [], diagnostics: [{ file, line, severity: "error", message }] };
  }
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  const regions = providerRegions(config);
  for (const [type, blocks] of Object.entries(config.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      const span = json.locatePath(["resource", type, name])?.value ?? json.span(0, 0);
      const count = countOf(block, type, name, span, diagnostics);
      const provider = typeof block.provider === "string" ? block.provider : type.split("_")[0];
      const region = regions.get(provider ?? "");
      for (let index = 0; index < count; index++) {
        const id = count === 1 && block.count === undefined ? `${type}.${name}` : `${type}.${name}[${index}]`;
        const read = cloudResource({
          format: "cdktf",
          type,
          id,
          kind: type,
          name: constructPath(block) ?? name,
          environment: context.environment,
          span,
          attributes: new Attributes(withoutMeta(block)),
          location: locationFor(type, region ? { region, basis: "provider" } : undefined, context.settings),
          ...(context.usage ? { usage: context.usage } : {}),
          locate: (attribute) => json.locatePath(["resource", type, name, attribute])?.value,
          templateRefs: [...JSON.stringify(block).matchAll(TEMPLATE_REF)].map((m) => m[1] as string),
        });
        resources.push(read.resource);
        if (index === 0) diagnostics.push(...read.diagnostics);
      }
    }
  }
  for (const name of Object.keys(config.module ?? {})) {
    diagnostics.push(moduleNotice(json, name, file));
  }
  return { resources, diagnostics };
}

/** `provider.<name>` is a list of configurations (or one); an alias is addressed `<name>.<alias>`. */
function providerRegions(config: TerraformJson): Map<string, string> {
  const regions = new Map<string, string>();
  for (const [name, value] of Object.entries(config.provider ?? {})) {
    for (const provider of Array.isArray(value) ? value : [value]) {
      if (!isRecord(provider)) continue;
      const region = resolveVariable(provider.region, config);
      if (typeof region !== "string") continue;
      const key = typeof provider.alias === "string" ? `${name}.${provider.alias}` : name;
      if (!regions.has(key)) regions.set(key, region);
    }
  }
  return regions;
}

function resolveVariable(value: unknown, config: TerraformJson): unknown {
  const variable = typeof value === "string" ? /^\$\{var\.([\w-]+)\}$/.exec(value)?.[1] : undefined;
  return variable === undefined ? value : config.variable?.[variable]?.default;
}

function countOf(
  block: Record<string, unknown>,
  type: string,
  name: string,
  span: Span,
  diagnostics: Diagnostic[],
): number {
  const at = (message: string): Diagnostic => ({
    file: span.file,
    line: span.startLine,
    severity: "notice",
    message,
  });
  if (typeof block.count === "number" && Number.isInteger(block.count) && block.count >= 0)
    return block.count;
  if (block.count !== undefined)
    diagnostics.push(at(`${type}.${name}: count is known only after apply; counted as 1`));
  if (block.for_each !== undefined)
    diagnostics.push(at(`${type}.${name}: for_each keys are not evaluated; counted as 1`));
  return 1;
}

function constructPath(block: Record<string, unknown>): string | undefined {
  const meta = block["//"];
  const path = isRecord(meta) && isRecord(meta.metadata) ? meta.metadata.path : undefined;
  return typeof path === "string" ? path : undefined;
}

function withoutMeta(block: Record<string, unknown>): Record<string, unknown> {
  const { "//": _, count: __, for_each: ___, ...attributes } = block;
  return attributes;
}

function moduleNotice(json: JsonFile, name: string, file: string): Diagnostic {
  const line = json.locatePath(["module", name])?.value.startLine ?? 1;
  const message = `module "${name}" is not expanded: estimate the plan JSON (terraform show -json) to include its resources`;
  return { file, line, severity: "notice", message };
}
