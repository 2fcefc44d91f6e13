import type { Resource } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";

/**
 * Objects one environment declares more than once (the same kind, namespace and name, in one file or
 * two): applied to one cluster they are one object, the one applied last, and ArgoCD warns of it.
 * Each is still estimated, so the warning says the figures count it twice. Objects named by
 * `generateName` are new each time.
 */
export function declaredTwice(resources: readonly Resource[]): Diagnostic[] {
  const first = new Map<string, Resource>();
  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    if (resource.id.endsWith("*")) continue;
    const earlier = first.get(resource.id);
    if (!earlier) {
      first.set(resource.id, resource);
      continue;
    }
    const { file, startLine } = resource.source.span;
    const at = earlier.source.span;
    diagnostics.push({
      file,
      line: startLine,
      severity: "warning",
      message: `${resource.id} is declared again (first at ${at.file}:${at.startLine}): applied to one cluster they are one object, the one applied last, but both are estimated, so the figures count it twice`,
    });
  }
  return diagnostics;
}
