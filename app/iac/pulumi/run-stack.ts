import type { Resource } from "../../model/resource.ts";
import { type Diagnostic, fileStart } from "../../model/span.ts";
import { counted } from "../../model/words.ts";
import type { ParseResult, Project, ProjectIo } from "../format.ts";
import { packageName } from "../sandbox/bundle.ts";
import { SHIPPED_PULUMI_PACKAGES } from "../sandbox/modules.ts";
import { cutShortDiagnostic } from "../sandbox/programs.ts";
import { captureStack } from "./capture.ts";
import { ProgramLiterals } from "./literals.ts";
import type { ProgramSources } from "./program-sources.ts";
import { stackRegions } from "./regions.ts";
import { providerRegions, readRegistration } from "./registrations.ts";
import type { StackConfig } from "./stack-config.ts";

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
  /** The program's files as copied, read and parsed once for all its stacks. */
  sources: ProgramSources;
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
  const capture = await captureStack({
    project: name,
    stack,
    regions,
    root,
    copy,
    bundled,
    readable: input.readable,
    programs: io.options.programs,
  });
  if (typeof capture === "string") return fail(capture);
  if ("cutShort" in capture)
    return {
      resources: [],
      diagnostics: [
        cutShortDiagnostic(where, `stack ${stack.name}: not evaluated`, capture, {
          root: project.root,
          environment: io.context(project.root, stack.name).environment,
        }),
      ],
    };
  const context = {
    ...io.context(project.root, stack.name),
    format: "pulumi-program",
    regions,
    providers: providerRegions(
      capture.registrations.map((r) => ({ urn: `${r.type}::${r.name}`, type: r.type, inputs: r.inputs })),
    ),
  };
  const sources = input.sources.files;
  const literals = new ProgramLiterals(input.sources, name, stack.values);
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const captured of capture.registrations) {
    const declared = sources.declaration(captured.sources ?? []);
    const fields =
      declared && literals.fields({ ...captured, file: declared.file, line: declared.startLine });
    const span = declared ?? fileStart(project.root);
    const read = readRegistration(
      { ...captured, dependencies: captured.dependencies ?? {}, span, ...(fields ? { fields } : {}) },
      context,
    );
    resources.push(...read.resources);
    diagnostics.push(...read.diagnostics);
  }
  const message = (text: string) =>
    `stack ${stack.name}: ${text}; ${counted(resources.length, "resource")} registered before ${resources.length === 1 ? "is" : "are"} estimated`;
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
  if (capture.isolation !== "network-namespace") {
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

/** What to do about an import that resolved nowhere. */
function needs(module: string): string {
  if (module.startsWith(".") || module.startsWith("/"))
    return `the program imports ${module}, which is not in the repository`;
  const name = packageName(module);
  return `the program needs \`${name}\`: install the project's dependencies (npm ci) and run GreenOps in that checkout, or use the Pulumi packages GreenOps ships (${SHIPPED_PULUMI_PACKAGES.join(", ")})`;
}
