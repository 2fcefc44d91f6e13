import type { IacFormat } from "../iac/format.ts";
import { kubernetes } from "../iac/kubernetes/index.ts";

/** Every IaC format GreenOps reads, tried in this order. */
export const FORMATS: readonly IacFormat[] = [kubernetes];

/** Paths that are never IaC: GreenOps' own settings and CI configuration. */
const NOT_IAC = [/^environments\/[^/]+\/greenops\.ya?ml$/, /^\.github\//];

export function mayBeIac(path: string): boolean {
  return /\.(ya?ml)$/i.test(path) && !NOT_IAC.some((pattern) => pattern.test(path));
}
