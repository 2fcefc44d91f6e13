import { argocd } from "../iac/argocd/index.ts";
import { cdktf } from "../iac/cdktf/index.ts";
import type { IacFormat } from "../iac/format.ts";
import { helm } from "../iac/helm/index.ts";
import { kubernetes } from "../iac/kubernetes/index.ts";
import { kustomize } from "../iac/kustomize/index.ts";
import { pulumiPreview, pulumiProgram } from "../iac/pulumi/index.ts";
import { terraformPlan } from "../iac/terraform-plan/index.ts";

/** Every IaC format GreenOps reads, tried in this order. */
export const FORMATS: readonly IacFormat[] = [
  terraformPlan,
  pulumiPreview,
  cdktf,
  kubernetes,
  kustomize,
  helm,
  pulumiProgram,
  argocd,
];

/** Paths that are never IaC: GreenOps' own settings and CI configuration. */
const NOT_IAC = [/^environments\/[^/]+\/greenops\.ya?ml$/, /^\.github\//];

/** JSON that is tooling, not infrastructure (formats recognise theirs by content). */
const NOT_IAC_JSON =
  /(^|\/)(node_modules\/|package(-lock)?\.json$|tsconfig[^/]*\.json$|\.vscode\/|[^/]*\.lock\.json$)/;

export function mayBeIac(path: string): boolean {
  if (NOT_IAC.some((pattern) => pattern.test(path))) return false;
  return /\.ya?ml$/i.test(path) || (/\.json$/i.test(path) && !NOT_IAC_JSON.test(path));
}
