import type { PlanAction, Resource } from "../../model/resource.ts";
import type { Diagnostic, Span } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import type { ParseContext, ParseResult } from "../format.ts";
import { readJsonFile } from "../json/json-file.ts";
import { type ResourceState, validatePreview, validateStep } from "./preview-schema.ts";
import { stackRegions } from "./regions.ts";
import { providerRegions, readRegistration } from "./registrations.ts";

/** Step operations that change nothing GreenOps estimates, or that another step of the URN covers. */
const ACTIONS: Record<string, PlanAction | undefined> = {
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  same: "no-op",
  import: "no-op",
};

/**
 * `pulumi preview --json` output: each resource's steps (a replacement is several) become the
 * resource before (`oldState`) and after (`newState`), like a Terraform plan.
 */
export function parsePreview(file: string, text: string, context: ParseContext): ParseResult {
  const read = readJsonFile(file, text);
  if ("diagnostics" in read) return { resources: [], diagnostics: read.diagnostics };
  const { json } = read;
  const digest = json.value;
  if (!validatePreview(digest)) {
    const message = "not a Pulumi preview: it has no steps; the file is not estimated";
    return { resources: [], diagnostics: [{ file, line: 1, severity: "error", message }] };
  }
  const diagnostics: Diagnostic[] = [];
  const byUrn = new Map<
    string,
    { action: PlanAction; before?: ResourceState; after?: ResourceState; span: Span }
  >();
  const states: ResourceState[] = [];
  digest.steps.forEach((step, index) => {
    const span = json.locatePath(["steps", index])?.value ?? json.span(0, 0);
    if (!validateStep(step)) {
      const problem = validateStep.errors?.[0];
      const message = `steps[${index}]: ${problem?.instancePath || "the step"} ${problem?.message}; skipped`;
      diagnostics.push({ file, line: span.startLine, severity: "warning", message });
      return;
    }
    const action = ACTIONS[step.op];
    if (!action) return;
    const entry = byUrn.get(step.urn) ?? { action, span };
    if (action === "replace" || entry.action === "no-op") entry.action = action;
    entry.before ??= step.oldState;
    entry.after ??= step.newState;
    byUrn.set(step.urn, entry);
    for (const state of [step.oldState, step.newState]) if (state) states.push(state);
  });
  const stack = {
    ...context,
    format: "pulumi-preview",
    regions: stackRegions(
      new Map(
        Object.entries(isRecord(digest.config) ? digest.config : {}).map(([key, value]) => [
          key,
          { value, layer: "stack" as const, at: { file } },
        ]),
      ),
    ),
    providers: providerRegions(states.map((s) => ({ urn: s.urn, type: s.type, inputs: s.inputs ?? {} }))),
  };
  // A component has children in the preview when one names it as parent, or one's URN has its type
  // among its ancestors' (`awsx:ec2:Vpc$aws:ec2/natGateway:NatGateway`).
  const parents = new Set(states.flatMap((s) => (s.parent ? [s.parent] : [])));
  const ancestorTypes = new Set(states.flatMap((s) => (s.urn.split("::")[2] ?? "").split("$").slice(0, -1)));
  const resources: Resource[] = [];
  for (const { action, before, after, span } of byUrn.values()) {
    const sides = [
      ["before", action === "create" ? undefined : before],
      ["after", action === "delete" ? undefined : after],
    ] as const;
    for (const [side, state] of sides) {
      if (!state) continue;
      const expanded = parents.has(state.urn) || ancestorTypes.has(state.type);
      const read = readRegistration({ ...registration(state, span), expanded }, stack);
      for (const resource of read.resources) resource.planned = { action, side };
      resources.push(...read.resources);
      if (side === "after" || action === "delete") diagnostics.push(...read.diagnostics);
    }
  }
  return { resources, diagnostics };
}

function registration(state: ResourceState, span: Span) {
  const dependencies: Record<string, string[]> = {};
  for (const [property, urns] of Object.entries(state.propertyDependencies ?? {})) {
    if (Array.isArray(urns)) dependencies[property] = urns;
  }
  return {
    type: state.type,
    name: state.urn.split("::").pop() ?? "",
    custom: state.custom ?? true,
    inputs: state.inputs ?? {},
    ...(state.provider ? { provider: state.provider } : {}),
    dependencies,
    span,
  };
}
