import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, posix } from "node:path";
import type { Diagnostic } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import type { Materialized, ParseResult, Project, ProjectIo, ProjectReader } from "../format.ts";
import { BundleError, bundleProgram, type RepositoryFiles } from "../sandbox/bundle.ts";
import { linkInstalled, SHIPPED_MODULES } from "../sandbox/modules.ts";
import { notRunDiagnostic } from "../sandbox/programs.ts";
import { ProgramSources } from "./program-sources.ts";
import { runStack } from "./run-stack.ts";
import {
  projectConfig,
  projectSettings,
  readPulumiYaml,
  type StackConfig,
  stackConfig,
} from "./stack-config.ts";
import { workspacePackages } from "./workspaces.ts";

const PROJECT_FILE = /(^|\/)Pulumi\.ya?ml$/;
const SCRIPT = /\.(m|c)?(t|j)sx?$|\.json$/;

/**
 * Pulumi TypeScript and JavaScript programs (a directory with Pulumi.yaml), evaluated under Pulumi's
 * mocks in a sandboxed child process, once per stack (Pulumi.<stack>.yaml, whose config the program
 * reads through pulumi.Config). No Pulumi CLI, provider plugin or cloud credential is involved.
 */
export const pulumiProgram: ProjectReader = {
  async find(io) {
    return io.paths.filter((path) => PROJECT_FILE.test(path)).map((root) => projectOf(root, io.paths));
  },
  evaluate: evaluateProgram,
};

function projectOf(root: string, paths: string[]): Project {
  const prefix = prefixOf(posix.dirname(root));
  const files = paths.filter(
    (p) => p.startsWith(prefix) && !/(^|\/)node_modules\//.test(p.slice(prefix.length)),
  );
  return {
    root,
    files,
    consumes: files.filter((p) => !/\.ya?ml$/i.test(p) || /(^|\/)Pulumi\.[^/]*ya?ml$/.test(p)),
    program: true,
  };
}

async function evaluateProgram(project: Project, io: ProjectIo): Promise<ParseResult> {
  const dir = posix.dirname(project.root);
  const at = (line: number, severity: Diagnostic["severity"], message: string): ParseResult => ({
    resources: [],
    diagnostics: [{ file: project.root, line, severity, message }],
  });
  const [projectFile] = await io.read([project.root]);
  if (!projectFile || "skipped" in projectFile) return at(1, "error", "Pulumi.yaml could not be read");
  const read = readPulumiYaml(project.root, projectFile.text);
  if (read.diagnostics.length > 0) return { resources: [], diagnostics: read.diagnostics };
  const settings = projectSettings(read);
  const name = typeof settings.name === "string" ? settings.name : "project";
  const runtime = isRecord(settings.runtime) ? settings.runtime.name : settings.runtime;
  if (runtime !== "nodejs") {
    return at(
      1,
      "notice",
      `a Pulumi ${String(runtime)} program: GreenOps evaluates TypeScript and JavaScript (nodejs) programs only; not estimated`,
    );
  }
  if (!io.options.runPrograms) {
    const refused = notRunDiagnostic(project.root, "the Pulumi program is not evaluated", io.options.refusal);
    return { resources: [], diagnostics: [refused] };
  }
  const stacks = await stackConfigs(project, name, read, io);
  const copy = await io.materialize(project.files);
  try {
    const root = join(copy.root, dir);
    const installed = linkInstalled(copy.root, dir, io.options.local?.root);
    const refused = installed.refused.map(
      (message): Diagnostic => ({ file: project.root, line: 1, severity: "warning", message }),
    );
    const entry = entryOf(root, settings.main);
    if (!entry)
      return at(1, "error", "no program entry: set main in Pulumi.yaml or package.json, or add index.ts");
    let bundled: string;
    try {
      const repository = await repositoryFiles(io, copy, dir);
      bundled = await bundleProgram(
        entry,
        copy.root,
        repository,
        isModule(root, entry) ? esmPackages : undefined,
      );
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      return at(1, "error", `the program could not be read: ${error.message}`);
    }
    // Stacks run together: each waits for a place in the shared pool. They read the same sources.
    const sources = await ProgramSources.of(copy.root);
    const results = await Promise.all(
      stacks.map((stack) =>
        runStack({
          project,
          io,
          name,
          stack,
          root,
          copy: copy.root,
          bundled,
          readable: installed.readable,
          sources,
        }),
      ),
    );
    const texts = new Map([[project.root, projectFile.text], ...stacks.texts]);
    for (const source of sources.parsedTexts()) texts.set(source.path, source.text);
    return {
      resources: results.flatMap((r) => r.resources),
      diagnostics: [...refused, ...stacks.diagnostics, ...results.flatMap((r) => r.diagnostics)],
      sources: [...texts].map(([path, text]) => ({ path, text })),
    };
  } finally {
    copy.dispose();
  }
}

/** Pulumi.<stack>.yaml files beside Pulumi.yaml, each over the project's own config and template defaults. */
async function stackConfigs(
  project: Project,
  name: string,
  read: ReturnType<typeof readPulumiYaml>,
  io: ProjectIo,
) {
  const dir = posix.dirname(project.root);
  const pattern = new RegExp(`^${escapeRegExp(prefixOf(dir))}Pulumi\\.([^./]+)\\.ya?ml$`);
  const files = project.files.filter((p) => pattern.test(p));
  const defaults = projectConfig(name, read);
  const stacks: StackConfig[] & { diagnostics: Diagnostic[]; texts: Map<string, string> } = Object.assign(
    [],
    {
      diagnostics: [] as Diagnostic[],
      texts: new Map<string, string>(),
    },
  );
  for (const file of await io.read(files)) {
    if ("text" in file) stacks.texts.set(file.path, file.text);
    const own = readPulumiYaml(file.path, "text" in file ? file.text : undefined);
    stacks.diagnostics.push(...own.diagnostics);
    stacks.push(stackConfig(name, pattern.exec(file.path)?.[1] as string, own, defaults));
  }
  if (stacks.length === 0) {
    stacks.push(stackConfig(name, "dev", undefined, defaults));
    stacks.diagnostics.push({
      file: project.root,
      line: 1,
      severity: "notice",
      message:
        'no Pulumi.<stack>.yaml: the program is evaluated as stack "dev" with the project\'s config only',
    });
  }
  return stacks;
}

/**
 * The repository's script files and workspace packages, for imports that leave the project's folder:
 * they are copied in when the program imports them (see {@link bundleProgram}).
 */
async function repositoryFiles(io: ProjectIo, copy: Materialized, dir: string): Promise<RepositoryFiles> {
  const paths = new Set(io.paths.filter((p) => SCRIPT.test(p) && !/(^|\/)node_modules\//.test(p)));
  return {
    root: copy.root,
    has: (path) => paths.has(path),
    copy: copy.add,
    packages: await workspacePackages(io, dir),
  };
}

function entryOf(root: string, main: unknown): string | undefined {
  const candidates: string[] = [];
  const packageJson = join(root, "package.json");
  const packageMain = existsSync(packageJson)
    ? (JSON.parse(readFileSync(packageJson, "utf8")) as { main?: unknown }).main
    : undefined;
  for (const base of [main, packageMain]) {
    if (typeof base !== "string") continue;
    const path = join(root, base);
    candidates.push(path, `${path}.ts`, join(path, "index.ts"), join(path, "index.js"));
  }
  candidates.push(join(root, "index.ts"), join(root, "index.mts"), join(root, "index.js"));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** ES module programs: `"type": "module"` in their package.json, or an .mts/.mjs entry. */
function isModule(root: string, entry: string): boolean {
  if (/\.m[jt]s$/.test(entry)) return true;
  const manifest = join(root, "package.json");
  try {
    return (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module"
    );
  } catch {
    return false;
  }
}

/**
 * An ES module's packages, resolved as Node would from the importing file (the checkout's packages
 * linked into the copy), then among GreenOps' shipped ones; unresolved ones fail when imported.
 */
const esmPackages = {
  resolve(specifier: string, importer: string): string | undefined {
    try {
      return createRequire(importer).resolve(specifier, {
        paths: [dirname(importer), dirname(SHIPPED_MODULES)],
      });
    } catch {
      return undefined;
    }
  },
};

function prefixOf(dir: string): string {
  return dir === "." ? "" : `${dir}/`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
