import type { PlanAction, Resource } from "../../model/resource.ts";
import type { Diagnostic, Span } from "../../model/span.ts";
import { Attributes } from "../cloud/attributes.ts";
import { cloudResource, locationFor } from "../cloud/resource.ts";
import type { ParseContext, ParseResult } from "../format.ts";
import { type JsonFile, readJsonFile } from "../json/json-file.ts";
import { PlanConfiguration } from "./configuration.ts";
import { type ResourceChange, SUPPORTED_FORMAT, validatePlan, validateResourceChange } from "./schema.ts";

/**
 * `terraform show -json` (or `tofu show -json`) output: each managed resource change becomes a
 * resource as it was (`change.before`) and as it will be (`change.after`), with its address as id.
 * The engine pairs the two sides, so a plan file is its own before-and-after.
 */
export function parsePlan(file: string, text: string, context: ParseContext): ParseResult {
  const read = readJsonFile(file, text);
  if ("diagnostics" in read) return { resources: [], diagnostics: read.diagnostics };
  const { json } = read;
  const plan = json.value;
  const at = (span: Span | undefined, severity: Diagnostic["severity"], message: string): Diagnostic => ({
    file,
    line: span?.startLine ?? 1,
    ...(span ? { column: span.startColumn } : {}),
    severity,
    message,
  });
  if (!validatePlan(plan)) {
    return {
      resources: [],
      diagnostics: [
        at(undefined, "error", "not a Terraform plan: format_version is missing; the file is not estimated"),
      ],
    };
  }
  if (!SUPPORTED_FORMAT.test(plan.format_version)) {
    const message = `unsupported plan format_version "${plan.format_version}" (GreenOps reads 0.x and 1.x); the file is not estimated`;
    return { resources: [], diagnostics: [at(json.locatePath(["format_version"])?.value, "error", message)] };
  }
  const configuration = new PlanConfiguration(plan);
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  (plan.resource_changes ?? []).forEach((entry, index) => {
    const span = json.locatePath(["resource_changes", index])?.value ?? json.span(0, 0);
    if (!validateResourceChange(entry)) {
      const problem = validateResourceChange.errors?.[0];
      const where = problem?.instancePath || "the entry";
      diagnostics.push(
        at(
          span,
          "warning",
          `resource_changes[${index}]: ${where} ${problem?.message ?? "is invalid"}; skipped`,
        ),
      );
      return;
    }
    if (entry.mode === "data") return;
    const action = planAction(entry.change.actions);
    if (action === undefined) {
      if (!entry.change.actions.includes("read")) {
        const message = `${entry.address}: action ${entry.change.actions.join(", ")} is not estimated`;
        diagnostics.push(at(span, "notice", message));
      }
      return;
    }
    for (const side of ["before", "after"] as const) {
      const values = entry.change[side];
      if (values === null || values === undefined) continue;
      const read = readSide(json, entry, side, span, context, configuration, index);
      read.resource.planned = { action, side };
      resources.push(read.resource);
      if (side === "after" || entry.change.after === null || entry.change.after === undefined) {
        diagnostics.push(...read.diagnostics);
      }
    }
  });
  return { resources, diagnostics };
}

function readSide(
  json: JsonFile,
  entry: ResourceChange,
  side: "before" | "after",
  span: Span,
  context: ParseContext,
  configuration: PlanConfiguration,
  index: number,
) {
  const values = entry.change[side];
  const attributes = new Attributes(values, side === "after" ? entry.change.after_unknown : undefined);
  const name = entry.index === undefined ? entry.name : `${entry.name}[${JSON.stringify(entry.index)}]`;
  return cloudResource({
    format: "terraform-plan",
    type: entry.type,
    id: entry.address,
    kind: entry.type,
    name,
    environment: context.environment,
    span,
    attributes,
    location: locationFor(entry.type, configuration.regionOf(entry), context.settings),
    ...(context.usage ? { usage: context.usage } : {}),
    locate: (attribute) => json.locatePath(["resource_changes", index, "change", side, attribute])?.value,
    templateRefs: configuration.templateRefs(entry.address),
  });
}

/** create, update, delete, replace (delete and create, in either order) or no-op; undefined for read. */
export function planAction(actions: string[]): PlanAction | undefined {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const [only] = actions;
  if (actions.length !== 1) return undefined;
  return only === "create" || only === "update" || only === "delete" || only === "no-op" ? only : undefined;
}
