import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { moduleEnv, SHIPPED_MODULES } from "../sandbox/modules.ts";
import type { CutShort, ProgramRunner } from "../sandbox/programs.ts";
import { type Isolation, sandboxEnv } from "../sandbox/sandbox.ts";
import type { StackRegions } from "./regions.ts";
import { pulumiConfig, type StackConfig } from "./stack-config.ts";
import type { Registration } from "./stack-context.ts";

const HARNESS = fileURLToPath(new URL("../sandbox/child/pulumi-harness.ts", import.meta.url));

/** One registration as the harness writes it: positions and dependencies as mocks saw them. */
export type Captured = Omit<Registration, "span" | "dependencies" | "fields"> & {
  sources?: { uri: string; line: number }[];
  dependencies?: Record<string, string[]>;
};

/** What a program registered under mocks, the errors it ended with, and the config it lacked. */
export type Capture = {
  registrations: Captured[];
  errors: { message: string; stack?: string; missingModule?: string }[];
  placeholders: { key: string; type: string; value: unknown }[];
  /** How the program's network was cut off. */
  isolation: Isolation;
};

export type CaptureRun = {
  /** The project's name (config keys are `<name>:key`). */
  project: string;
  stack: StackConfig;
  regions: StackRegions;
  /** The project's folder in the copy, the copy's root, and the bundled program in it. */
  root: string;
  copy: string;
  bundled: string;
  /** Folders outside the copy the program may read (the checkout's installed packages). */
  readable: string[];
  /** The review's runner: its pool, each program's limits and the review's budget. */
  programs: ProgramRunner;
};

/**
 * Runs one stack of a bundled program under mocks in the sandbox; a string says why it gave nothing,
 * and {@link CutShort} how the budget or the program's own limits cut its run short.
 */
export async function captureStack(input: CaptureRun): Promise<Capture | CutShort | string> {
  const { project, stack, regions, root, copy, bundled, programs } = input;
  const config = pulumiConfig(stack);
  // The program sees the region it is estimated in (aws.config.region, awsx's availability zones).
  if (regions.aws && config.values["aws:region"] === undefined)
    config.values["aws:region"] = regions.aws.region;
  const run = await programs.run({
    script: HARNESS,
    args: [bundled, project, stack.name],
    cwd: root,
    read: [copy, SHIPPED_MODULES, dirname(HARNESS), ...input.readable],
    env: sandboxEnv(copy, {
      PULUMI_CONFIG: JSON.stringify(config.values),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secrets),
      ...moduleEnv(),
    }),
  });
  if ("cutShort" in run) return run;
  try {
    return { ...(JSON.parse(run.result) as Omit<Capture, "isolation">), isolation: run.isolation };
  } catch {
    const reason =
      run.output.trim().split("\n").slice(-3).join(" ").slice(0, 400) ||
      `exit status ${run.code ?? run.signal}`;
    return `the program ended without registering its stack (${reason})`;
  }
}
