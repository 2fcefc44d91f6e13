import { posix } from "node:path";
import { counted } from "../../model/words.ts";
import type { IacFormat, ParseResult, Project, ProjectIo, ProjectReader } from "../format.ts";
import { kubernetes } from "../kubernetes/index.ts";

const CHART = /(^|\/)Chart\.ya?ml$/;

/**
 * Helm charts in the repository (a directory with Chart.yaml): its templates are Go templates, not
 * YAML, and GreenOps cannot run Helm. Everything under the chart (templates at any depth, values,
 * subcharts, test values) is read through the chart, which is one notice; `crds/` holds plain
 * manifests and is read as such. A chart an ArgoCD Application deploys is rendered by ArgoCD's
 * manifests API when a server is given (app/iac/argocd/helm.ts), and then says nothing here.
 */
export const helmCharts: ProjectReader = {
  async find(io) {
    const charts = io.paths.filter((p) => CHART.test(p)).map((file) => ({ file, dir: posix.dirname(file) }));
    // A subchart (charts/<name>/Chart.yaml) belongs to its parent chart: one notice per chart.
    const top = charts.filter(
      ({ dir }) => !charts.some((other) => other.dir !== dir && inside(dir, other.dir)),
    );
    return top.map(({ file, dir }): Project => {
      const files = io.paths.filter((p) => inside(p, dir));
      const crds = `${dir === "." ? "" : `${dir}/`}crds/`;
      return { root: file, files, consumes: files.filter((p) => !p.startsWith(crds)) };
    });
  },
  evaluate: chartNotice,
};

async function chartNotice(project: Project, io: ProjectIo): Promise<ParseResult> {
  const dir = posix.dirname(project.root);
  const deployed = io.applications.filter((a) =>
    a.sources.some((s) => s.path !== undefined && posix.normalize(s.path) === dir),
  );
  if (deployed.length > 0 && io.options.argocd) return { resources: [], diagnostics: [] };
  const templates = project.files.filter(
    (p) => p.includes("/templates/") || p.startsWith("templates/"),
  ).length;
  const by = deployed.map((a) => a.name).join(", ");
  const message = `a Helm chart (${counted(templates, "template file")}): not rendered, since GreenOps cannot run Helm; render it (helm template) and review the output, or let ArgoCD's manifests API do it (--argocd-server${by ? `, for ${by}` : " with an Application that deploys it"})`;
  return { resources: [], diagnostics: [{ file: project.root, line: 1, severity: "notice", message }] };
}

function inside(path: string, dir: string): boolean {
  return dir === "." || path.startsWith(`${dir}/`);
}

/** Helm charts: read as one notice each (see {@link helmCharts}). */
export const helm: IacFormat = {
  id: "helm",
  displayName: "Helm charts",
  // A chart is a directory: it is read through `project`, never file by file.
  detect: () => false,
  parse: () => ({ resources: [], diagnostics: [] }),
  link: kubernetes.link,
  project: helmCharts,
};
