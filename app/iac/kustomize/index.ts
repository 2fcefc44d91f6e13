import type { IacFormat } from "../format.ts";
import { kubernetes } from "../kubernetes/index.ts";
import { kustomizeProjects } from "./project.ts";

/** Kustomize directories, rendered (kubectl kustomize, else GreenOps' subset) and read as manifests. */
export const kustomize: IacFormat = {
  id: "kustomize",
  displayName: "Kustomize",
  // A kustomization is a directory: it is read through `project`, never file by file.
  detect: () => false,
  parse: () => ({ resources: [], diagnostics: [] }),
  link: kubernetes.link,
  references: kubernetes.references,
  project: kustomizeProjects,
};
