import { createRequire } from "node:module";

/**
 * The defaults of @pulumi/awsx and @pulumi/eks components that GreenOps applies, quoted from the
 * typings of the packages GreenOps ships (test/iac/pulumi/components.test.ts checks every quote is
 * there), so each assumed value in a report names the package, file and property it comes from.
 */
const QUOTES = {
  awsx: {
    "ec2/vpc.d.ts": {
      numberOfAvailabilityZones: "defaults to the first 3 AZs in the current region",
      natGateways:
        "If private and public subnets are both specified, defaults to one gateway per availability zone. Otherwise, no gateways will be created.",
    },
    "ecs/fargateService.d.ts": { desiredCount: "Defaults to 1." },
    "types/input.d.ts": {
      cpu: "If not provided, a default will be computed based on the cumulative needs specified by [containerDefinitions]",
    },
  },
  eks: {
    "cluster.d.ts": {
      instanceType: 'Defaults to "t3.medium".',
      desiredCapacity: "Defaults to 2.",
      nodeRootVolumeSize: "Defaults to 20.",
    },
    "nodeGroupV2.d.ts": { nodeRootVolumeType: "Default is 'gp2'." },
    "managedNodeGroup.d.ts": { scalingConfig: "desiredSize: 2" },
  },
} as const;

type Quotes = typeof QUOTES;

const load = createRequire(import.meta.url);
const versions = new Map<string, string>();

function cite<P extends keyof Quotes>(pkg: P, file: string, property: string): string {
  const name = `@pulumi/${pkg}`;
  let version = versions.get(name);
  if (!version) {
    version = (load(`${name}/package.json`) as { version: string }).version;
    versions.set(name, version);
  }
  const quote = (QUOTES[pkg] as Record<string, Record<string, string>>)[file]?.[property];
  return `${name} ${version} ${file}, ${property}: "${quote}"`;
}

export function awsxDefault<F extends keyof Quotes["awsx"]>(
  file: F,
  property: keyof Quotes["awsx"][F],
): string {
  return cite("awsx", file, String(property));
}

export function eksDefault<F extends keyof Quotes["eks"]>(file: F, property: keyof Quotes["eks"][F]): string {
  return cite("eks", file, String(property));
}

/** Every quote, for the test that finds each in the shipped typings. */
export function quotedDefaults(): { pkg: string; file: string; property: string; quote: string }[] {
  return Object.entries(QUOTES).flatMap(([pkg, files]) =>
    Object.entries(files).flatMap(([file, properties]) =>
      Object.entries(properties as Record<string, string>).map(([property, quote]) => ({
        pkg: `@pulumi/${pkg}`,
        file,
        property,
        quote,
      })),
    ),
  );
}
