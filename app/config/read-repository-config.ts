import type { Diagnostic } from "../model/span.ts";
import type { Snapshot } from "../source/snapshot.ts";
import {
  REPOSITORY_CONFIG_FILES,
  type RepositoryConfig,
  validateRepositoryConfig,
} from "./repository-config.ts";
import { loadYamlConfig, type Refinement } from "./yaml-config.ts";

/**
 * `.github/greenops.yml` (or `.yaml`) of a snapshot, validated: an invalid file counts as absent
 * (`{}`), and each of its errors is a located diagnostic.
 */
export async function readRepositoryConfig(
  snapshot: Pick<Snapshot, "read">,
  refine?: Refinement<RepositoryConfig>,
): Promise<{ config: RepositoryConfig; diagnostics: Diagnostic[] }> {
  const [file] = await snapshot.read(REPOSITORY_CONFIG_FILES);
  if (!file) return { config: {}, diagnostics: [] };
  if ("skipped" in file)
    return {
      config: {},
      diagnostics: [{ file: file.path, line: 1, severity: "error", message: file.skipped }],
    };
  const result = loadYamlConfig(file.path, file.text, validateRepositoryConfig, refine);
  return { config: result.value ?? {}, diagnostics: result.diagnostics };
}
