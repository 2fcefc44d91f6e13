import type { RepositoryConfig } from "../config/repository-config.ts";

/** `ai:` in `.github/greenops.yml`: whether a repository opts in, and what may be asked and sent. */
export type AiConfig = {
  enabled?: boolean;
  summary?: boolean;
  proposals?: boolean;
  /** Field paths (`spec.template.metadata.annotations`, `*` for any key or index) never sent. */
  redact?: string[];
};

/** The repository file can opt in and restrict; it can never name an endpoint, a model or headers. */
export const aiConfigSchema = {
  type: "object",
  description:
    "The AI advisor (off by default): a plain-language summary and fix proposals, every one checked by the engine. The endpoint, model and key come only from the environment of whoever runs GreenOps.",
  properties: {
    enabled: {
      type: "boolean",
      description: "Opt in (the GitHub App); `greenops --ai` also needs it not false.",
    },
    summary: { type: "boolean", description: "Ask for a 3–5 sentence summary (default true)." },
    proposals: { type: "boolean", description: "Ask for fix proposals (default true)." },
    redact: {
      type: "array",
      description:
        "Manifest field paths whose values are replaced by [redacted] before anything is sent, e.g. metadata.annotations or spec.template.spec.containers.*.args.",
      items: { type: "string", minLength: 1, pattern: "^[^.]+(\\.[^.]+)*$" },
    },
  },
  additionalProperties: false,
} as const;

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
