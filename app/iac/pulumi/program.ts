import { existsSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { Resource } from "../../model/resource.ts";
import type { Diagnostic, Span } from "../../model/span.ts";
import { isRecord } from "../cloud/attributes.ts";
import type { ParseResult, Project, ProjectIo, ProjectReader } from "../format.ts";
import { BundleError, bundleProgram } from "../sandbox/bundle.ts";
import { budgetMessage, seconds } from "../sandbox/programs.ts";
import { sandboxEnv } from "../sandbox/sandbox.ts";
import { LineIndex } from "../yaml/line-index.ts";
import { YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";
import { providerRegions, type Registration, readRegistration } from "./registrations.ts";

const PROJECT_FILE = /(^|\/)Pulumi\.ya?ml$/;
const HARNESS = fileURLToPath(new URL("../sandbox/child/pulumi-harness.ts", import.meta.url));
const NODE_MODULES = fileURLToPath(new URL("../../../node_modules", import.meta.url));
/** Marks a secret the sandbox cannot decrypt: the program gets a placeholder. */
const SECRET_PLACEHOLDER = "greenops-secret-placeholder";

type Capture = {
  registrations: (Omit<Registration, "span" | "dependencies"> & {
    source?: { uri: string; line: number };
    dependencies?: Record<string, string[]>;
  })[];
  errors: { message: string; stack?: string }[];
};

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
  const dir = posix.dirname(root);
  const prefix = dir === "." ? "" : `${dir}/`;
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
  const at = (
    line: number,
    severity: Diagnostic["severity"],
    message: string,
    file = project.root,
  ): ParseResult => ({
    resources: [],
    diagnostics: [{ file, line, severity, message }],
  });
  const [projectFile] = await io.read([project.root]);
  if (!projectFile || "skipped" in projectFile) return at(1, "error", "Pulumi.yaml could not be read");
  const settings = readYaml(projectFile.path, projectFile.text);
  if ("error" in settings) return at(settings.line, "error", settings.error);
  const name = typeof settings.value.name === "string" ? settings.value.name : "project";
  const runtime = isRecord(settings.value.runtime) ? settings.value.runtime.name : settings.value.runtime;
  if (runtime !== "nodejs") {
    return at(
      1,
      "notice",
      `a Pulumi ${String(runtime)} program: GreenOps evaluates TypeScript and JavaScript (nodejs) programs only; not estimated`,
    );
  }
  if (!io.options.runPrograms) {
    return at(
      1,
      "notice",
      `the Pulumi program is not evaluated: ${io.options.refusal ?? "running repository programs is turned off"}`,
    );
  }
  const stacks = await stackConfigs(project, name, io);
  const copy = await io.materialize(project.files);
  try {
    const root = join(copy.root, dir);
    if (!existsSync(join(root, "node_modules"))) symlinkSync(NODE_MODULES, join(root, "node_modules"), "dir");
    const entry = entryOf(root, settings.value.main);
    if (!entry)
      return at(1, "error", "no program entry: set main in Pulumi.yaml or package.json, or add index.ts");
    let bundled: string;
    try {
      bundled = await bundleProgram(entry, root);
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      return at(1, "error", `the program could not be read: ${error.message}`);
    }
    // Stacks run together: each waits for a place in the shared pool.
    const results = await Promise.all(
      stacks.map((stack) => runStack({ project, io, name, stack, root, copy: copy.root, bundled })),
    );
    return {
      resources: results.flatMap((r) => r.resources),
      diagnostics: [...stacks.diagnostics, ...results.flatMap((r) => r.diagnostics)],
    };
  } finally {
    copy.dispose();
  }
}

type Stack = { name: string; file?: string; config: Record<string, unknown>; secrets: string[] };

/** Pulumi.<stack>.yaml files beside Pulumi.yaml, with the project's own config defaults under them. */
async function stackConfigs(project: Project, name: string, io: ProjectIo) {
  const dir = posix.dirname(project.root);
  const pattern = new RegExp(`^${dir === "." ? "" : `${escapeRegExp(dir)}/`}Pulumi\\.([^./]+)\\.ya?ml$`);
  const files = project.files.filter((p) => pattern.test(p));
  const diagnostics: Diagnostic[] = [];
  const defaults = await readConfig(project.root, name, io, diagnostics);
  const stacks: Stack[] & { diagnostics: Diagnostic[] } = Object.assign([], { diagnostics });
  for (const file of files) {
    const stack = pattern.exec(file)?.[1] as string;
    const own = await readConfig(file, name, io, diagnostics);
    stacks.push({ name: stack, file, config: { ...defaults.config, ...own.config }, secrets: own.secrets });
  }
  if (stacks.length === 0) {
    stacks.push({ name: "dev", config: defaults.config, secrets: [] });
    diagnostics.push({
      file: project.root,
      line: 1,
      severity: "notice",
      message:
        'no Pulumi.<stack>.yaml: the program is evaluated as stack "dev" with the project\'s config only',
    });
  }
  return stacks;
}

/** A config map: `key: value`, `key: { secure: … }`, or (in Pulumi.yaml) `key: { default: value }`. */
async function readConfig(file: string, project: string, io: ProjectIo, diagnostics: Diagnostic[]) {
  const config: Record<string, unknown> = {};
  const secrets: string[] = [];
  const [read] = await io.read([file]);
  if (!read || "skipped" in read) return { config, secrets };
  const parsed = readYaml(read.path, read.text);
  if ("error" in parsed) {
    diagnostics.push({ file, line: parsed.line, severity: "error", message: parsed.error });
    return { config, secrets };
  }
  for (const [key, raw] of Object.entries(isRecord(parsed.value.config) ? parsed.value.config : {})) {
    const full = key.includes(":") ? key : `${project}:${key}`;
    if (isRecord(raw) && "secure" in raw) {
      config[full] = SECRET_PLACEHOLDER;
      secrets.push(full);
    } else if (isRecord(raw) && ("default" in raw || "value" in raw)) {
      config[full] = raw.value ?? raw.default;
    } else config[full] = raw;
  }
  return { config, secrets };
}

async function runStack(input: {
  project: Project;
  io: ProjectIo;
  name: string;
  stack: Stack;
  root: string;
  copy: string;
  bundled: string;
}): Promise<ParseResult> {
  const { project, io, name, stack, root, copy, bundled } = input;
  const context = io.context(project.root, stack.name);
  const where = stack.file ?? project.root;
  const fail = (message: string): ParseResult => ({
    resources: [],
    diagnostics: [{ file: where, line: 1, severity: "error", message: `stack ${stack.name}: ${message}` }],
  });
  const pulumiConfig = Object.fromEntries(
    Object.entries(stack.config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  const run = await io.options.programs.run({
    script: HARNESS,
    args: [bundled, name, stack.name],
    cwd: root,
    read: [copy, NODE_MODULES, dirname(HARNESS)],
    env: sandboxEnv(copy, {
      PULUMI_CONFIG: JSON.stringify(pulumiConfig),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(stack.secrets),
    }),
  });
  if ("budgetSpent" in run) return fail(budgetMessage(run));
  if (run.timedOut) return fail(`the program did not finish within ${seconds(io)} s and was stopped`);
  if (run.tooLarge) return fail("the program wrote more output than allowed and was stopped");
  let capture: Capture;
  try {
    capture = JSON.parse(run.result) as Capture;
  } catch {
    const reason =
      run.output.trim().split("\n").slice(-3).join(" ").slice(0, 400) ||
      `exit status ${run.code ?? run.signal}`;
    return fail(`the program ended without registering its stack (${reason})`);
  }
  const stackContext = {
    ...context,
    format: "pulumi-program",
    config: stack.config,
    providers: providerRegions(
      capture.registrations.map((r) => ({ urn: `${r.type}::${r.name}`, type: r.type, inputs: r.inputs })),
    ),
  };
  const sources = new SourceFiles(copy);
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const captured of capture.registrations) {
    const span = sources.span(captured.source) ?? sources.fallback(project.root);
    const read = readRegistration(
      { ...captured, dependencies: captured.dependencies ?? {}, span },
      stackContext,
    );
    resources.push(...read.resources);
    diagnostics.push(...read.diagnostics);
  }
  for (const error of capture.errors) {
    const line = sources.lineOf(error.stack);
    diagnostics.push({
      file: line?.file ?? where,
      line: line?.line ?? 1,
      severity: "error",
      message: `stack ${stack.name}: the program failed: ${error.message.split("\n")[0]}; ${resources.length} resources registered before are estimated`,
    });
  }
  if (run.isolation !== "network-namespace") {
    diagnostics.push({
      file: where,
      line: 1,
      severity: "notice",
      message:
        "no network namespace on this system: the program's network access was blocked inside Node.js only",
    });
  }
  return {
    resources: resources.map((r) => ({ ...r, notes: [...r.notes, `Pulumi stack ${stack.name}`] })),
    diagnostics,
  };
}

/** Maps file URLs of the copied program (Pulumi's source positions, stack traces) back to repository lines. */
class SourceFiles {
  readonly #copy: string;
  readonly #lines = new Map<string, LineIndex>();

  constructor(copy: string) {
    this.#copy = copy;
  }

  span(source: { uri: string; line: number } | undefined): Span | undefined {
    if (!source?.uri.startsWith("file://")) return undefined;
    const path = fileURLToPath(source.uri);
    const file = posix.normalize(path.slice(this.#copy.length + 1));
    if (!path.startsWith(`${this.#copy}/`) || file.includes("node_modules/")) return undefined;
    let lines = this.#lines.get(path);
    if (!lines) {
      lines = new LineIndex(existsSync(path) ? readFileSync(path, "utf8") : "");
      this.#lines.set(path, lines);
    }
    const start = lines.offset(source.line);
    const end = lines.offset(source.line + 1);
    return lines.span(file, start, Math.max(start, end - 1));
  }

  fallback(file: string): Span {
    return { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 0 };
  }

  /** The first line of the program (not of a package) in a stack trace. */
  lineOf(stack: string | undefined): { file: string; line: number } | undefined {
    for (const match of (stack ?? "").matchAll(/(?:file:\/\/)?(\/[^\s():]+):(\d+):\d+/g)) {
      const path = match[1] as string;
      if (!path.startsWith(`${this.#copy}/`) || path.includes("/node_modules/") || path.endsWith(".cjs"))
        continue;
      return { file: path.slice(this.#copy.length + 1), line: Number(match[2]) };
    }
    return undefined;
  }
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

function readYaml(
  file: string,
  text: string,
): { value: Record<string, unknown> } | { error: string; line: number } {
  try {
    const value = new YamlFile(file, text).documents[0]?.value;
    return { value: isRecord(value) ? value : {} };
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    return { error: `invalid YAML: ${error.reason}`, line: error.line };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
