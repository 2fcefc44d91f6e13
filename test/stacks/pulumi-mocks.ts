import * as pulumi from "@pulumi/pulumi";

// biome-ignore lint/suspicious/noExplicitAny: registered inputs are whatever the program passed
export type Registered = { type: string; name: string; inputs: Record<string, any> };

/** What the mocks answer for outputs a cloud provider computes. */
const COMPUTED: Record<string, Record<string, string>> = {
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    primaryEndpointAddress: "master.greenops-redis.x1y2z3.use1.cache.amazonaws.com",
  },
};

/**
 * Runs the GreenOps stack program (`stacks/greenops`) under Pulumi's mocks with a stack's config, and
 * returns what it registered once every registration is in. One program per test file: Pulumi's
 * runtime is global to the process.
 */
export async function runGreenOpsStack(
  stack: string,
  config: Record<string, unknown>,
  secrets: string[],
): Promise<Registered[]> {
  const registered: Registered[] = [];
  const values = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  pulumi.runtime.setAllConfig(values, secrets);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...COMPUTED[args.type] } };
      },
      call: (args) => args.inputs,
    },
    "greenops",
    stack,
    false,
  );
  const program = await import("../../stacks/greenops/index.ts");
  await new Promise((resolve) => program.webService.apply(resolve));
  for (let seen = -1; seen !== registered.length; ) {
    seen = registered.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return registered;
}

export function one(registered: Registered[], type: string, name: string): Registered {
  const found = registered.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${type} named ${name}`);
  return found[0] as Registered;
}

/** A container's environment as a map. */
export function envOf(deployment: Registered): Record<string, string> {
  const container = deployment.inputs.spec.template.spec.containers[0];
  return Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
}

/** Pulumi's marker of a secret value as the mocks receive it (the `specialSigKey` of its RPC encoding). */
const SECRET = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/** The value inside a secret; fails when the program passed it in the clear. */
export function secretValue(input: unknown): unknown {
  const wrapped = input as Record<string, unknown> | undefined;
  if (wrapped?.[SECRET.key] !== SECRET.value) throw new Error(`not a secret: ${JSON.stringify(input)}`);
  return wrapped.value;
}
