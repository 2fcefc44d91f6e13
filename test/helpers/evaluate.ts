import { DEFAULT_SETTINGS, type EnvironmentSettings } from "../../app/config/environment-settings.ts";
import type { Environments } from "../../app/engine/environments.ts";
import { evaluate } from "../../app/engine/evaluate.ts";
import type { Evaluation } from "../../app/engine/types.ts";
import { type EnvironmentBasis, environmentBasis } from "../../app/estimate/basis.ts";
import type { ParseResult } from "../../app/iac/format.ts";
import { kubernetes } from "../../app/iac/kubernetes/index.ts";

export const PROD: EnvironmentSettings = {
  cloud: "aws",
  region: "us-east-1",
  nodeInstanceType: "m5.xlarge",
  nodeCount: 6,
  currency: "USD",
};

/** Parses and links one manifest file as the engine does, in one environment. */
export function parseLinked(
  text: string,
  settings: EnvironmentSettings = DEFAULT_SETTINGS,
  file = "app.yaml",
): ParseResult {
  const parsed = kubernetes.parse(file, text, { environment: "test", settings });
  const linked = kubernetes.link(parsed.resources, settings);
  return { resources: linked.resources, diagnostics: [...parsed.diagnostics, ...linked.diagnostics] };
}

/** Evaluates in-memory files, all in one environment. */
export function evaluateFiles(
  files: Record<string, string>,
  settings: EnvironmentSettings = DEFAULT_SETTINGS,
): Evaluation {
  const environments = oneEnvironment(environmentBasis("test", settings, "environments/test/greenops.yml"));
  return evaluate(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    environments,
  );
}

/** Environments where every file deploys to `basis`'s environment (`extra`: placements, usage). */
export function oneEnvironment(basis: EnvironmentBasis, extra: Partial<Environments> = {}): Environments {
  return {
    all: new Map([[basis.environment, basis]]),
    of: () => basis,
    diagnostics: [],
    errors: [],
    texts: new Map(),
    ...extra,
  };
}
