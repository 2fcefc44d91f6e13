import type { EnvironmentSettings } from "../app/config/environment-settings.ts";
import { definePolicy } from "../app/engine/policy.ts";
import { attributeFix, field, setFields } from "../app/engine/policy-kit.ts";
import type { EvaluatedResource } from "../app/engine/types.ts";
import { volumePrice } from "../app/estimate/catalog/prices.ts";
import type { CloudLocation, Disk } from "../app/model/cloud.ts";
import { pathOf } from "../app/model/pointer.ts";
import type { Resource, VolumeDemand } from "../app/model/resource.ts";

type Options = { from: string; to: string };

/** The docs' example: a claim with this `storageClassName` line, where `standard` provisions gp2. */
const uploads = (storageClass: string) => ({
  settings: { storageClasses: { standard: "gp2", gp3: "gp3" } },
  code: `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  ${storageClass}
  resources:
    requests:
      storage: 200Gi
`,
});

/** gp3 costs 20 % less than gp2 per GB-month with the same baseline performance or better. */
export default definePolicy<Options, "claim" | "storageClass" | "volume">({
  meta: {
    id: "storage-class",
    title: "Volumes use gp3 rather than gp2",
    description:
      "EBS volumes (claims, StorageClasses, and the volumes of cloud resources) use gp3 where it is cheaper than gp2 in the region.",
    rationale:
      "AWS lists gp3 at $0.08 per GB-month against $0.10 for gp2 in us-east-1 (aws-ebs-prices, from Infracost's golden files), with a 3,000 IOPS and 125 MB/s baseline whatever the size, which gp2 only reaches at 1 TB. The policy proposes the switch only where the bundled price table shows gp3 cheaper in the environment's region.",
    category: "cost",
    scope: "resource",
    defaultSeverity: "warning",
    fix: "safe",
    options: {
      type: "object",
      properties: {
        from: { type: "string", default: "gp2", description: "The volume type to move away from." },
        to: { type: "string", default: "gp3", description: "The volume type to move to." },
      },
      additionalProperties: false,
    },
    messages: {
      claim:
        "{{claim}} provisions {{from}} volumes ({{fromPrice}}/GB-month); {{to}} costs {{toPrice}}/GB-month in {{region}}",
      storageClass:
        "StorageClass {{name}} provisions {{from}} volumes; {{to}} costs {{toPrice}}/GB-month instead of {{fromPrice}} in {{region}}",
      volume:
        "{{resource}} has a {{from}} {{volume}} ({{fromPrice}}/GB-month); {{to}} costs {{toPrice}}/GB-month in {{region}}{{how}}",
    },
    fixDescription:
      "Points the claim at a StorageClass that provisions gp3 (one declared in the environment's settings or manifests), or sets a StorageClass's `type` parameter to gp3; for a cloud resource (an EBS volume, an instance's or a node group's root volume) declared by a Pulumi program, replaces the `gp2` literal (or the stack config value) that sets its volume type. Safe for claims and volumes a change adds; a suggestion otherwise, since Kubernetes does not change the class of an existing claim or the parameters of an existing StorageClass (migrate the data, or create a new class), and an existing volume is modified in place. A volume type the program computes, or leaves to its default, is reported with the change to make by hand.",
    whenNotToUse:
      "For volumes that need io1/io2 performance or sizes where gp2's burst model suits the workload better.",
    examples: {
      invalid: [
        {
          title: "A new claim on the gp2 class",
          ...uploads("storageClassName: standard # the cluster's old default"),
        },
      ],
      valid: [{ title: "A claim on gp3", ...uploads("storageClassName: gp3") }],
    },
  },
  check(context) {
    const { from, to } = context.options;
    const { resource, change } = context.resource;
    const kind = change === "added" ? "safe" : "suggestion";
    for (const { disk, location } of cloudDisks(resource)) {
      const fromPrice = location.region ? volumePrice(location.region, from)?.usdPerUnit : undefined;
      const toPrice = location.region ? volumePrice(location.region, to)?.usdPerUnit : undefined;
      if (
        disk.volumeType !== from ||
        location.cloud !== "aws" ||
        !fromPrice ||
        !toPrice ||
        toPrice >= fromPrice
      )
        continue;
      const { how, ...located } = attributeFix(context.text, resource, disk.typeAt, {
        what: "volume type",
        value: to,
        title: `Use ${to} for ${disk.label}`,
        kind,
      });
      const prices = {
        from,
        to,
        fromPrice: `$${fromPrice}`,
        toPrice: `$${toPrice}`,
        region: location.region as string,
      };
      context.report({
        messageId: "volume",
        subject: `volume/${disk.label}`,
        data: {
          resource: resource.id,
          volume: disk.label,
          how,
          ...prices,
        },
        ...located,
      });
    }
    const demand = resource.demand;
    const storageClass =
      demand.type === "modifier" &&
      demand.effect.kind === "storage-class" &&
      demand.effect.volumeType === from;
    const claims: VolumeDemand[] = (
      demand.type === "volume" ? [demand] : demand.type === "workload" ? demand.volumeClaims : []
    ).filter((claim) => claim.volumeType === from);
    // The environment's prices are looked up only for what provisions `from` volumes.
    if (!storageClass && claims.length === 0) return;
    const { cloud, region } = context.environment.settings;
    const fromPrice = volumePrice(region, from)?.usdPerUnit;
    const toPrice = volumePrice(region, to)?.usdPerUnit;
    if (cloud !== "aws" || fromPrice === undefined || toPrice === undefined || toPrice >= fromPrice) return;
    const prices = { from, to, fromPrice: `$${fromPrice}`, toPrice: `$${toPrice}`, region };
    if (storageClass) {
      context.report({
        messageId: "storageClass",
        data: { name: resource.name, ...prices },
        at: field(resource, ["parameters", "type"]),
        fix: {
          title: `Provision ${to} volumes`,
          edits: () => setFields(context.text, resource, [{ path: ["parameters", "type"], value: to }]),
          kind: "suggestion",
        },
      });
      return;
    }
    const target = classFor(to, context.environment.settings, context.all);
    for (const claim of claims) {
      const path = pathOf(claim.pointer);
      const name =
        claim.pointer === "" ? resource.id : `${resource.id} claim "${claim.name ?? String(path.at(-1))}"`;
      context.report({
        messageId: "claim",
        subject: `claim/${claim.name ?? claim.pointer}`,
        data: { claim: name, ...prices },
        at: field(resource, [...path, "spec", "storageClassName"]) ?? field(resource, [...path, "spec"]),
        ...(target
          ? {
              fix: {
                title: `Use StorageClass ${target}`,
                edits: () =>
                  setFields(context.text, resource, [
                    { path: [...path, "spec", "storageClassName"], value: target },
                  ]),
                kind,
              },
            }
          : {}),
      });
    }
  },
});

/** The EBS volumes of a cloud resource: a volume, an instance's or a group's block devices. */
function cloudDisks(resource: Resource): { disk: Disk; location: CloudLocation }[] {
  const demand = resource.demand;
  if (demand.type === "disk") return [{ disk: demand.disk, location: demand.location }];
  if (demand.type === "instance") return demand.disks.map((disk) => ({ disk, location: demand.location }));
  return [];
}

/**
 * A StorageClass known to provision `type`: one the settings map to it, one declared in a manifest, or
 * the settings' default class when it provisions it.
 */
function classFor(
  type: string,
  settings: EnvironmentSettings,
  all: readonly EvaluatedResource[],
): string | undefined {
  const mapped = Object.entries(settings.storageClasses ?? {}).find(
    ([, volumeType]) => volumeType === type,
  )?.[0];
  if (mapped) return mapped;
  const fallback = settings.defaultStorageClass;
  if (fallback && (settings.storageClasses?.[fallback] ?? fallback) === type) return fallback;
  return declaredClasses(all).get(type);
}

const declared = new WeakMap<readonly EvaluatedResource[], Map<string, string>>();

/** The StorageClasses an environment's manifests declare, by the volume type they provision (first wins). */
function declaredClasses(all: readonly EvaluatedResource[]): Map<string, string> {
  let classes = declared.get(all);
  if (!classes) {
    classes = new Map();
    for (const { resource } of all) {
      const demand = resource.demand;
      if (demand.type === "modifier" && demand.effect.kind === "storage-class" && demand.effect.volumeType)
        if (!classes.has(demand.effect.volumeType)) classes.set(demand.effect.volumeType, demand.effect.name);
    }
    declared.set(all, classes);
  }
  return classes;
}
