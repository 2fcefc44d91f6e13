import type { IacFormat } from "../format.ts";
import { kubernetes } from "../kubernetes/index.ts";
import { helmApplications } from "./helm.ts";

/**
 * ArgoCD: Applications and ApplicationSets map source paths to clusters, namespaces and
 * environments (app/engine/applications.ts); their own manifests are free Kubernetes objects, read
 * by the Kubernetes format. Applications of Helm charts are read through ArgoCD's rendered manifests.
 */
export const argocd: IacFormat = {
  id: "argocd",
  displayName: "ArgoCD Applications",
  detect: () => false,
  parse: () => ({ resources: [], diagnostics: [] }),
  link: kubernetes.link,
  project: helmApplications,
};
