/**
 * `programs:` in `.github/greenops.yml`: whether the GitHub App (and the Action) may evaluate the
 * repository's Pulumi programs and CDKTF apps, always in the sandbox. Only the default branch's file
 * counts, so a pull request cannot turn them on for itself.
 */
export type ProgramsConfig = { run?: boolean; forks?: boolean };

export const programsConfigSchema = {
  type: "object",
  description:
    "Repository programs (Pulumi programs, CDKTF apps) in the GitHub App and the Action: off unless the default branch's file turns them on, always run in GreenOps' sandbox. The App's operator can forbid them all (GREENOPS_PROGRAMS=off). The command line runs them unless --no-programs, except greenops deploy-status and greenops scan in a workflow, which follow this setting as the App does.",
  properties: {
    run: {
      type: "boolean",
      description:
        "Evaluate programs in pull requests from this repository's own branches, in deployment reports and in scans (default false). Read from the default branch only.",
    },
    forks: {
      type: "boolean",
      description: "Also in pull requests from forks (default false; needs run: true).",
    },
  },
  additionalProperties: false,
} as const;
