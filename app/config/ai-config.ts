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
      items: {
        type: "string",
        minLength: 1,
        pattern: "^[^.]+(\\.[^.]+)*$",
        patternErrorMessage:
          "must be a field path: keys joined by single dots, * for any key or index (metadata.annotations, spec.template.spec.containers.*.args)",
      },
    },
  },
  additionalProperties: false,
} as const;
