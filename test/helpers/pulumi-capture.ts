import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PolicyProviderResource, PolicyResource } from "@pulumi/policy";
import { captureStack } from "../../app/iac/pulumi/capture.ts";
import { stackRegions } from "../../app/iac/pulumi/regions.ts";
import {
  projectConfig,
  projectSettings,
  readPulumiYaml,
  stackConfig,
} from "../../app/iac/pulumi/stack-config.ts";
import { bundleProgram } from "../../app/iac/sandbox/bundle.ts";
import { testPrograms } from "./programs.ts";

/**
 * The resources CrossGuard would give a stack policy for a program, taken from the program evaluated
 * under mocks in GreenOps' sandbox: each registration with its URN, inputs as props, its provider
 * (the default aws provider carries the stack's region, as `pulumi preview` registers it) and its
 * property dependencies.
 */
export async function policyResources(dir: string, stackName: string): Promise<PolicyResource[]> {
  const copy = mkdtempSync(join(tmpdir(), "greenops-crossguard-"));
  try {
    cpSync(dir, copy, { recursive: true });
    const text = (file: string) =>
      existsSync(join(copy, file)) ? readFileSync(join(copy, file), "utf8") : undefined;
    const projectFile = readPulumiYaml("Pulumi.yaml", text("Pulumi.yaml"));
    const project = String(projectSettings(projectFile).name);
    const stackFile = `Pulumi.${stackName}.yaml`;
    const own = text(stackFile) === undefined ? undefined : readPulumiYaml(stackFile, text(stackFile));
    const stack = stackConfig(project, stackName, own, projectConfig(project, projectFile));
    const regions = stackRegions(stack.values);
    const bundled = await bundleProgram(join(copy, "index.ts"), copy);
    const capture = await captureStack({
      project,
      stack,
      regions,
      root: copy,
      copy,
      bundled,
      readable: [],
      programs: testPrograms(60_000),
    });
    if (typeof capture === "string" || "cutShort" in capture) throw new Error(JSON.stringify(capture));
    const urn = (type: string, name: string) => `urn:pulumi:${stackName}::${project}::${type}::${name}`;
    const providers = new Map<string, PolicyProviderResource>();
    for (const r of capture.registrations.filter((r) => r.type.startsWith("pulumi:providers:"))) {
      providers.set(urn(r.type, r.name), {
        type: r.type,
        name: r.name,
        urn: urn(r.type, r.name),
        props: r.inputs,
      });
    }
    const region = regions.aws?.region;
    const aws: PolicyProviderResource = {
      type: "pulumi:providers:aws",
      name: "default_7_48_0",
      urn: urn("pulumi:providers:aws", "default_7_48_0"),
      props: region ? { region } : {},
    };
    const resources = new Map<string, PolicyResource>();
    for (const r of capture.registrations.filter((r) => !r.type.startsWith("pulumi:"))) {
      const explicit = r.provider && providers.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
      const provider = explicit || (r.type.startsWith("aws:") ? aws : undefined);
      resources.set(urn(r.type, r.name), {
        type: r.type,
        name: r.name,
        urn: urn(r.type, r.name),
        props: r.inputs,
        opts: {
          protect: false,
          ignoreChanges: [],
          aliases: [],
          customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
          additionalSecretOutputs: [],
        },
        ...(provider ? { provider } : {}),
        dependencies: [],
        propertyDependencies: {},
        isType: (cls) => (cls as unknown as { __pulumiType: string }).__pulumiType === r.type,
        asType: () => undefined,
      } as PolicyResource);
    }
    for (const r of capture.registrations) {
      const resource = resources.get(urn(r.type, r.name));
      for (const [property, urns] of Object.entries(r.dependencies ?? {})) {
        const on = urns.flatMap((u) => {
          const [type = "", name = ""] = u.split("::").slice(-2);
          const found = resources.get(urn(type.split("$").pop() as string, name));
          return found ? [found] : [];
        });
        if (resource) resource.propertyDependencies[property] = on;
      }
    }
    return [...resources.values()];
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
