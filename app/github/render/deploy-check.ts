import type { DeployReport } from "../../gitops/deploy/deploy.ts";
import { deployMarkdown } from "../../gitops/deploy/render.ts";
import { CHECK_OUTPUT_MAX, CHECK_TITLE_MAX } from "../limits.ts";
import type { Completion } from "../write/checks.ts";
import { fitMarkdown } from "./fit.ts";

/** The check run that follows a push to its deployment: one per pushed commit on the default branch. */
export const DEPLOY_CHECK_NAME = "GreenOps deploy";

/** The completed "GreenOps deploy" check: ArgoCD's verdict, one row per Application, and the notes. */
export function deployCompletion(report: DeployReport, notices: string[]): Completion {
  const summary = [deployMarkdown(report), ...notices.map((n) => `${n}\n`)].join("\n");
  return {
    conclusion: report.conclusion,
    output: {
      title: report.title.slice(0, CHECK_TITLE_MAX),
      summary: fitMarkdown(
        summary,
        CHECK_OUTPUT_MAX,
        "…truncated: run `greenops deploy-status` for every row.",
      ),
      annotations: [],
    },
    actions: [],
  };
}

/** A deployment that could not be followed at all (ArgoCD not set up right): neutral, and why. */
export function deploySetupCompletion(problem: string): Completion {
  return {
    conclusion: "neutral",
    output: { title: "ArgoCD is not set up for GreenOps", summary: problem, annotations: [] },
    actions: [],
  };
}
