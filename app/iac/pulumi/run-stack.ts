import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Resource } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";
import type { ParseResult, Project, ProjectIo } from "../format.ts";
import { packageName } from "../sandbox/bundle.ts";
import { moduleEnv, SHIPPED_MODULES, SHIPPED_PULUMI_PACKAGES } from "../sandbox/modules.ts";
import { runSandboxed, sandboxEnv } from "../sandbox/sandbox.ts";
import { ProgramLiterals } from "./literals.ts";
import { stackRegions } from "./regions.ts";
import { providerRegions, type Registration, readRegistration } from "./registrations.ts";
import { SourceFiles } from "./source-files.ts";
import { pulumiConfig, type StackConfig } from "./stack-config.ts";

const HARNESS = fileURLToPath(new URL("../sandbox/child/pulumi-harness.ts", import.meta.url));

type Captured = Omit<Registration, "span" | "dependencies"> & {
  remote?: boolean;
  sources?: { uri: string; line: number }[];
  dependencies?: Record<string, string[]>;
};

type Capture = {
  registrations: Captured[];
  errors: { message: string; stack?: string; missingModule?: string }[];
  placeholders: { key: string; type: string; value: unknown }[];
};

export type StackRun = {
  project: Project;
  io: ProjectIo;
  /** The project's name (config keys are `<name>:key`). */
  name: string;
  stack: StackConfig;
  /** The project's folder in the copy, and the copy's root. */
  root: string;
  copy: string;
  bundled: string;
  /** Folders outside the copy the program may read (the checkout's installed packages). */
  readable: string[];
};

/** Runs one stack of a bundled program in the sandbox and reads what it registered. */
export async function runStack(input: StackRun): Promise<ParseResult> {
  const { project, io, name, stack, root, copy, bundled } = input;
  const where = stack.file ?? project.root;
  const fail = (message: string): ParseResult => ({
    resources: [],
    diagnostics: [{ file: where, line: 1, severity: "error", message: `stack ${stack.name}: ${message}` }],
  });
  const regions = stackRegions(stack.values, io.options.local?.awsRegion);
  const config = pulumiConfig(stack);
  // The program sees the region it is estimated in (aws.config.region, awsx's availability zones).
  if (regions.aws && config.values["aws:region"] === undefined)
    config.values["aws:region"] = regions.aws.region;
  const run = await runSandboxed({
    script: HARNESS,
    args: [bundled, name, stack.name],
    cwd: root,
    read: [copy, SHIPPED_MODULES, dirname(HARNESS), ...input.readable],
    env: sandboxEnv(copy, {
      PULUMI_CONFIG: JSON.stringify(config.values),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secrets),
      ...moduleEnv(),
    }),
    limits: io.options.limits,
  });
  if (run.timedOut)
    return fail(`the program did not finish within ${io.options.limits.timeoutMs / 1000} s and was stopped`);
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
  const context = {
    ...io.context(project.root, stack.name),
    format: "pulumi-program",
    regions,
    providers: providerRegions(
      capture.registrations.map((r) => ({ urn: `${r.type}::${r.name}`, type: r.type, inputs: r.inputs })),
    ),
  };
  const sources = new SourceFiles(copy);
  const literals = await ProgramLiterals.of((file) => sources.text(file), name, stack.values);
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const captured of capture.registrations) {
    const declared = sources.declaration(captured.sources ?? []);
    const fields =
      declared && literals.fields({ ...captured, file: declared.file, line: declared.startLine });
    const span = declared ?? sources.fallback(project.root);
    const read = readRegistration(
      { ...captured, dependencies: captured.dependencies ?? {}, span, ...(fields ? { fields } : {}) },
      context,
    );
    resources.push(...read.resources);
    diagnostics.push(...read.diagnostics);
  }
  const message = (text: string) =>
    `stack ${stack.name}: ${text}; ${resources.length} resources registered before are estimated`;
  for (const error of capture.errors) {
    const line = sources.lineOf(error.stack);
    diagnostics.push({
      file: line?.file ?? where,
      line: line?.line ?? 1,
      severity: "error",
      message: message(
        error.missingModule
          ? needs(error.missingModule)
          : `the program failed: ${error.message.split("\n")[0]}`,
      ),
    });
  }
  for (const placeholder of capture.placeholders) {
    diagnostics.push({
      file: where,
      line: 1,
      severity: "notice",
      message: `stack ${stack.name}: the program requires config ${placeholder.key}, which neither ${stack.file ?? `Pulumi.${stack.name}.yaml`} nor Pulumi.yaml sets: it ran with the ${placeholder.type} placeholder ${JSON.stringify(placeholder.value)}`,
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
    sources: literals.files().map((path) => ({ path, text: sources.text(path) as string })),
  };
}

/** What to do about an import that resolved nowhere. */
function needs(module: string): string {
  if (module.startsWith(".") || module.startsWith("/"))
    return `the program imports ${module}, which is not in the repository`;
  const name = packageName(module);
  return `the program needs \`${name}\`: install the project's dependencies (npm ci) and run GreenOps in that checkout, or use the Pulumi packages GreenOps ships (${SHIPPED_PULUMI_PACKAGES.join(", ")})`;
}
