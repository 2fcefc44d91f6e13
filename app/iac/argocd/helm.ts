import { posix } from "node:path";
import { ArgoCdClient } from "../../argocd/client.ts";
import { ArgoCdError } from "../../argocd/errors.ts";
import type { Resource } from "../../model/resource.ts";
import { type Diagnostic, fileStart, type Span } from "../../model/span.ts";
import type { ParseResult, Project, ProjectIo, ProjectReader } from "../format.ts";
import { parseManifests } from "../kubernetes/parse.ts";
import { type ArgoApplication, ENVIRONMENT_LABEL } from "./applications.ts";

const TIMEOUT_MS = 30_000;

/**
 * Applications whose source is a Helm chart (a `chart`, or a path with Chart.yaml): Helm cannot be
 * rendered offline, so GreenOps asks ArgoCD for the manifests its repo-server rendered
 * (`GET /api/v1/applications/{name}/manifests?revision=`) when a server is configured, and says
 * why the chart is not estimated otherwise.
 */
export const helmApplications: ProjectReader = {
  async find(io) {
    const projects = new Map<string, Project>();
    for (const application of io.applications.filter((a) => isHelm(a, io.paths))) {
      const project = projects.get(application.file) ?? {
        root: application.file,
        files: [application.file],
        consumes: [],
      };
      // A change to a chart in this repository renders it again.
      for (const source of application.sources) {
        if (source.path) project.files.push(...io.paths.filter((p) => p.startsWith(`${source.path}/`)));
      }
      projects.set(application.file, project);
    }
    return [...projects.values()];
  },
  evaluate: renderCharts,
};

function isHelm(application: ArgoApplication, paths: string[]): boolean {
  return application.sources.some(
    (s) =>
      s.chart !== undefined || (s.path !== undefined && paths.includes(posix.join(s.path, "Chart.yaml"))),
  );
}

async function renderCharts(project: Project, io: ProjectIo): Promise<ParseResult> {
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const application of io.applications) {
    if (application.file !== project.root || !isHelm(application, io.paths)) continue;
    const at = (severity: Diagnostic["severity"], message: string): Diagnostic => ({
      file: application.file,
      line: application.line,
      severity,
      message: `ArgoCD Application ${application.name}: ${message}`,
    });
    const server = io.options.argocd;
    if (!server) {
      diagnostics.push(
        at(
          "notice",
          "it deploys a Helm chart, which GreenOps cannot render offline: give an ArgoCD server (--argocd-server) to use its rendered manifests, or commit the rendered output",
        ),
      );
      continue;
    }
    const fetched = await manifests(server, application.name, io.revision);
    if ("error" in fetched) {
      diagnostics.push(
        at(
          "warning",
          `ArgoCD's rendered manifests could not be read (${fetched.error}); the chart is not estimated`,
        ),
      );
      continue;
    }
    const context = io.context(application.file, application.labels[ENVIRONMENT_LABEL]);
    const span: Span = {
      ...fileStart(application.file),
      startLine: application.line,
      endLine: application.line,
    };
    for (const manifest of fetched.manifests) {
      const parsed = parseManifests(application.file, manifest, {
        ...context,
        ...(application.namespace ? { defaultNamespace: application.namespace } : {}),
      });
      for (const resource of parsed.resources) {
        resources.push({
          ...resource,
          source: { format: "argocd", span, fields: {} },
          notes: [
            ...resource.notes,
            `rendered by ArgoCD${io.revision ? ` at ${io.revision.slice(0, 12)}` : " at the Application's target revision"}`,
          ],
        });
      }
      diagnostics.push(...parsed.diagnostics.map((d) => ({ ...d, line: application.line })));
    }
    if (!io.revision) diagnostics.push(at("notice", "rendered at its target revision, not the working tree"));
  }
  return { resources, diagnostics };
}

/** ArgoCD's rendered manifests, or why they could not be read. */
async function manifests(
  server: { server: string; token: string },
  name: string,
  revision: string | undefined,
): Promise<{ manifests: string[] } | { error: string }> {
  const client = new ArgoCdClient({ url: server.server, token: server.token }, { timeoutMs: TIMEOUT_MS });
  try {
    return { manifests: await client.manifests({ name }, revision) };
  } catch (error) {
    if (error instanceof ArgoCdError) return { error: error.message };
    throw error;
  }
}
