import type { RepositoryConfig } from "../config/repository-config.ts";

/** What a run may do, once the configurations of every side read are combined. */
export type AiSettings = {
  summary: boolean;
  proposals: boolean;
  redact: string[];
  /** Why the AI part must not run (a side turned it off, or nothing opted in). */
  refused?: string;
};

/**
 * The stricter of every side's `ai:` (a pull request cannot opt itself in, nor drop a redaction):
 * `requested` is the operator's opt-in (`--ai`); without it every side read must set `enabled: true`
 * (the App reads the base and the head). An explicit `enabled: false` anywhere always wins.
 */
export function aiSettings(configs: readonly RepositoryConfig[], requested: boolean): AiSettings {
  const sections = configs.map((config) => config.ai ?? {});
  const settings: AiSettings = {
    summary: sections.every((s) => s.summary !== false),
    proposals: sections.every((s) => s.proposals !== false),
    redact: [...new Set(sections.flatMap((s) => s.redact ?? []))],
  };
  if (sections.some((s) => s.enabled === false))
    return { ...settings, refused: "the repository's .github/greenops.yml sets ai.enabled: false" };
  if (!requested && (sections.length === 0 || sections.some((s) => s.enabled !== true)))
    return { ...settings, refused: "the repository has not opted in (ai.enabled in .github/greenops.yml)" };
  return settings;
}
