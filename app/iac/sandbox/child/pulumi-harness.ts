/**
 * Runs one Pulumi program under Pulumi's mocks and writes what it registered to file descriptor 3.
 * Started by app/iac/pulumi/run-stack.ts in a sandboxed child process:
 *
 *   pulumi-harness.ts <bundled program> <project> <stack>
 *
 * The program's configuration arrives in PULUMI_CONFIG (and PULUMI_CONFIG_SECRET_KEYS). Mocks are
 * set before the program loads (resources register as it runs), with preview=true so outputs the
 * mocks do not know become unknowns instead of dropping resources. Packages resolve from the
 * project's own node_modules first, then from NODE_PATH (the Pulumi packages GreenOps ships).
 */
import "./network-guard.ts";
import "./signal-guard.ts";
import { writeSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { type Placeholder, placeholdMissingConfig } from "./pulumi-config.ts";

type Captured = {
  type: string;
  name: string;
  custom: boolean;
  inputs: unknown;
  provider?: string;
  /** A multi-language component: its children are built by the provider plugin, never registered here. */
  remote?: boolean;
  /** Where it was declared: Pulumi's source position, then the frames of the stack that declared it. */
  sources?: { uri: string; line: number }[];
  dependencies?: Record<string, string[]>;
};

const [program = "", project = "", stack = ""] = process.argv.slice(2);
const load = createRequire(program);
const pulumi = load("@pulumi/pulumi");
const { MockMonitor } = load("@pulumi/pulumi/runtime/mocks");
// Pulumi records a stack trace on every promise it tracks, to report leaks at exit; with source maps
// that is most of a program's run time, and the leak report is of no use here.
load("@pulumi/pulumi/runtime/debuggable").debuggablePromise = <T>(promise: Promise<T>) => promise;
// Lambda callbacks (aws.lambda.CallbackFunction, API Gateway routes) serialize their closure through
// the V8 inspector, which the sandbox does not open: under mocks the code is never deployed.
const NOT_SERIALIZED = {
  text: "exports.handler = undefined; // not serialized under mocks",
  exportName: "handler",
};
pulumi.runtime.serializeFunction = async () => NOT_SERIALIZED;
pulumi.runtime.serializeFunctionAsync = async () => NOT_SERIALIZED.text;
pulumi.runtime.computeCodePaths = async () => new Map();

const placeholders: Placeholder[] = placeholdMissingConfig(pulumi.Config.prototype);

/** Source positions and property dependencies are on the request only: keep them by type and name. */
const requests = new Map<string, Pick<Captured, "sources" | "dependencies" | "remote">>();
const registerResource = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (
  this: unknown,
  request: RegisterRequest,
  callback: unknown,
) {
  const frames = request.getStacktrace?.()?.getFramesList() ?? [];
  const sources = [request.getSourceposition?.(), ...frames.slice(0, 12).map((frame) => frame.getPc())]
    .filter((position) => position !== undefined)
    .map((position) => ({ uri: position.getUri(), line: position.getLine() }));
  const dependencies: Record<string, string[]> = {};
  request.getPropertydependenciesMap?.().forEach((value, key) => {
    dependencies[key] = value.getUrnsList();
  });
  requests.set(`${request.getType()}::${request.getName()}`, {
    sources,
    ...(request.getRemote?.() ? { remote: true } : {}),
    dependencies,
  });
  return registerResource.call(this, request, callback);
};

type Position = { getUri(): string; getLine(): number };

type RegisterRequest = {
  getType(): string;
  getName(): string;
  getRemote?(): boolean;
  getSourceposition?(): Position | undefined;
  getStacktrace?(): { getFramesList(): { getPc(): Position | undefined }[] } | undefined;
  getPropertydependenciesMap?(): {
    forEach(f: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
};

const registrations: Captured[] = [];
const errors: { message: string; stack?: string; missingModule?: string }[] = [];
const describe = (error: unknown) => {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: string }).code;
  const missing = code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND";
  const module = missing ? /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1] : undefined;
  return { message: error.message, stack: error.stack, ...(module ? { missingModule: module } : {}) };
};
process.on("unhandledRejection", (error) => errors.push(describe(error)));
process.on("uncaughtException", (error) => errors.push(describe(error)));

await pulumi.runtime.setMocks(
  {
    newResource(args: {
      type: string;
      name: string;
      inputs: Record<string, unknown>;
      provider?: string;
      custom?: boolean;
    }) {
      registrations.push({
        type: args.type,
        name: args.name,
        custom: args.custom ?? true,
        inputs: args.inputs,
        ...(args.provider ? { provider: args.provider } : {}),
        ...requests.get(`${args.type}::${args.name}`),
      });
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type.startsWith("kubernetes:")) {
        const metadata = (args.inputs.metadata ?? {}) as Record<string, unknown>;
        state.metadata = { ...metadata, name: metadata.name ?? args.name };
      }
      return { id: `${args.name}-id`, state };
    },
    call() {
      return {};
    },
  },
  project,
  stack,
  true,
);

try {
  await pulumi.runtime.runInPulumiStack(async () => {
    const exported = program.endsWith(".mjs") ? await import(pathToFileURL(program).href) : load(program);
    const main = typeof exported === "function" ? exported : exported?.default;
    return typeof main === "function" ? await main() : exported;
  });
} catch (error) {
  errors.push(describe(error));
}
// Registrations already sent are answered by the mocks before the queue drains, even after an error.
try {
  await pulumi.runtime.disconnect();
} catch (error) {
  errors.push(describe(error));
}
writeSync(3, JSON.stringify({ registrations, errors, placeholders }));
