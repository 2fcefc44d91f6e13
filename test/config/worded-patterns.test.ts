import { describe, expect, it } from "vitest";
import { validateEnvironmentSettings } from "../../app/config/environment-settings.ts";
import { PUBLISHED_SCHEMAS } from "../../app/config/publish-schemas.ts";
import { validateRepositoryConfig } from "../../app/config/repository-config.ts";
import { loadYamlConfig } from "../../app/config/yaml-config.ts";
import { loadCustomPolicy } from "../../app/engine/custom-policies.ts";
import type { Diagnostic } from "../../app/model/span.ts";
import { BUILT_IN_POLICIES } from "../../policies/index.ts";

/**
 * A value a configuration schema's `pattern` refuses is worded by its `patternErrorMessage`, with the
 * value, at the value's line and column: never the regex.
 */

const SETTINGS = "environments/prod/greenops.yml";
const REPOSITORY = ".github/greenops.yml";
const POLICY = ".github/greenops/policies/team-label.yml";

const LOADERS: Record<string, (text: string) => Diagnostic[]> = {
  [SETTINGS]: (text) => loadYamlConfig(SETTINGS, text, validateEnvironmentSettings).diagnostics,
  [REPOSITORY]: (text) => loadYamlConfig(REPOSITORY, text, validateRepositoryConfig).diagnostics,
  [POLICY]: (text) => loadCustomPolicy(POLICY, text, new Set()).diagnostics,
};

const ENVIRONMENT = "cloud: aws\nregion: us-east-1\ncurrency: USD\n";
const TEAM_LABEL = "title: Workloads name their team\nmessage: no team\nassert: { required: [labels] }\n";

const URL_WORDS = "must be an http or https URL without credentials (user:password@)";
const DURATION_WORDS = "must be a duration: a whole number and one of s, m, h, d, w (90s, 10m, 14d)";

type Case = { file: string; text: string; line: number; column: number; message: string };

const CASES: Case[] = [
  {
    file: SETTINGS,
    text: `${ENVIRONMENT}telemetry:\n  prometheus:\n    url: prometheus.prod.example:9090\n`,
    line: 6,
    column: 10,
    message: `"telemetry.prometheus.url" ${URL_WORDS}; got "prometheus.prod.example:9090"`,
  },
  {
    file: SETTINGS,
    text: `${ENVIRONMENT}telemetry:\n  gridIntensity:\n    provider: electricity-maps\n    url: https://token@api.electricitymaps.example\n`,
    line: 7,
    column: 10,
    message: `"telemetry.gridIntensity.url" ${URL_WORDS}; got "https://***@api.electricitymaps.example"`,
  },
  {
    file: SETTINGS,
    text: `${ENVIRONMENT}telemetry:\n  window: 2 weeks\n`,
    line: 5,
    column: 11,
    message: `"telemetry.window" ${DURATION_WORDS}; got "2 weeks"`,
  },
  {
    file: REPOSITORY,
    text: "argocd:\n  sync: true\n  timeout: 1h30m\n",
    line: 3,
    column: 12,
    message: `"argocd.timeout" ${DURATION_WORDS}; got "1h30m"`,
  },
  {
    file: REPOSITORY,
    text: "ai:\n  enabled: true\n  redact:\n    - metadata.annotations\n    - spec.template.spec.containers..args\n",
    line: 5,
    column: 7,
    message:
      '"ai.redact.1" must be a field path: keys joined by single dots, * for any key or index (metadata.annotations, spec.template.spec.containers.*.args); got "spec.template.spec.containers..args"',
  },
  {
    file: REPOSITORY,
    text: "ai:\n  redact: [.metadata.annotations]\n",
    line: 2,
    column: 12,
    message:
      '"ai.redact.0" must be a field path: keys joined by single dots, * for any key or index (metadata.annotations, spec.template.spec.containers.*.args); got ".metadata.annotations"',
  },
  {
    file: POLICY,
    text: `id: Team_Label\n${TEAM_LABEL}`,
    line: 1,
    column: 5,
    message:
      '"id" must be kebab-case: lower-case letters and digits, words joined by single hyphens (team-label, no-big-dev-pods); got "Team_Label"',
  },
  {
    file: POLICY,
    text: `${TEAM_LABEL}at: metadata/labels\n`,
    line: 4,
    column: 5,
    message:
      '"at" must be a JSON pointer: each key after a / (/metadata/labels, /spec/template/spec); got "metadata/labels"',
  },
];

describe("values a pattern refuses, in words", () => {
  it.each(CASES)("$file line $line: $message", ({ file, text, line, column, message }) => {
    expect(LOADERS[file]?.(text)).toEqual([{ file, line, column, severity: "error", message }]);
  });

  /** Every `pattern` of a schema, by where it is. */
  function patterns(schema: unknown, where: string): [string, Record<string, unknown>][] {
    if (typeof schema !== "object" || schema === null) return [];
    const own: [string, Record<string, unknown>][] =
      "pattern" in schema ? [[where, schema as Record<string, unknown>]] : [];
    return [...own, ...Object.entries(schema).flatMap(([key, value]) => patterns(value, `${where}/${key}`))];
  }
  const SCHEMAS = [
    ...Object.entries(PUBLISHED_SCHEMAS),
    ...Object.values(BUILT_IN_POLICIES).map((p) => [`policy ${p.meta.id}`, p.meta.options] as const),
  ];
  const ALL = SCHEMAS.flatMap(([name, schema]) => patterns(schema, name));

  it("finds every pattern of the configuration schemas (each has a case above)", () => {
    const endpoint = (source: string) =>
      `environment-settings.schema.json/properties/telemetry/properties/${source}/properties/url`;
    expect(ALL.map(([where]) => where)).toEqual([
      "environment-settings.schema.json/properties/telemetry/properties/window",
      endpoint("prometheus"),
      endpoint("opencost"),
      endpoint("gridIntensity"),
      "repository-config.schema.json/properties/argocd/properties/timeout",
      "repository-config.schema.json/properties/ai/properties/redact/items",
      "custom-policy.schema.json/properties/id",
      "custom-policy.schema.json/properties/at",
    ]);
  });

  it.each(ALL)("%s has a patternErrorMessage", (_, schema) => {
    expect(schema.patternErrorMessage).toMatch(/^must be \S/);
  });
});
