import { lazyValidator } from "../../config/ajv.ts";

/**
 * The slice of `pulumi preview --json` GreenOps reads (PreviewDigest in pulumi/pulumi
 * sdk/pkg/display/json.go): the stack configuration and one step per resource operation, each with
 * the resource's state before (`oldState`) and after (`newState`). Unknown keys are ignored.
 */
export type PreviewDigest = { config?: Record<string, unknown>; steps: unknown[]; changeSummary?: object };

export type ResourceState = {
  urn: string;
  type: string;
  custom?: boolean;
  inputs?: Record<string, unknown>;
  provider?: string;
  /** The URN of the component it belongs to, if any. */
  parent?: string;
  propertyDependencies?: Record<string, string[] | null>;
};

export type PreviewStep = { op: string; urn: string; oldState?: ResourceState; newState?: ResourceState };

export const validatePreview = lazyValidator<PreviewDigest>("pulumi-preview", {
  type: "object",
  properties: { config: { type: "object" }, steps: { type: "array" }, changeSummary: { type: "object" } },
  required: ["steps"],
});

const state = {
  type: "object",
  properties: {
    urn: { type: "string" },
    type: { type: "string" },
    custom: { type: "boolean" },
    inputs: { type: "object" },
    provider: { type: "string" },
    parent: { type: "string" },
    propertyDependencies: { type: "object" },
  },
  required: ["urn", "type"],
};

export const validateStep = lazyValidator<PreviewStep>("pulumi-preview-step", {
  type: "object",
  properties: { op: { type: "string" }, urn: { type: "string" }, oldState: state, newState: state },
  required: ["op", "urn"],
});
