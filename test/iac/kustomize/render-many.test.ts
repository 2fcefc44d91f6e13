import { describe, expect, it } from "vitest";
import { render } from "../../../app/iac/kustomize/render.ts";

const SERVICES = 3_000;

const name = (i: number) => `svc-${String(i).padStart(4, "0")}`;

const deployment = (service: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${service}
  labels: {app: ${service}}
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: ${service}
          image: ghcr.io/example/${service}:1.4.2
          resources: {requests: {cpu: 100m, memory: 128Mi}}
`;

/**
 * A generated platform kustomization: one file per service, a component that adds a sidecar service
 * (and repeats the first one), and the first file named again at the end.
 */
function platform(): Map<string, string> {
  const files = new Map<string, string>();
  const entries = Array.from({ length: SERVICES }, (_, i) => `  - services/${name(i)}.yaml`);
  for (let i = 0; i < SERVICES; i++) files.set(`platform/services/${name(i)}.yaml`, deployment(name(i), 2));
  files.set(
    "platform/kustomization.yaml",
    [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "namespace: platform",
      "resources:",
      ...entries,
      `  - services/${name(0)}.yaml`,
      "components:",
      "  - ../components/metrics",
      "replicas:",
      `  - name: ${name(SERVICES - 1)}`,
      "    count: 5",
      "",
    ].join("\n"),
  );
  files.set(
    "components/metrics/kustomization.yaml",
    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - exporter.yaml\n  - again.yaml\n",
  );
  files.set("components/metrics/exporter.yaml", deployment("metrics-exporter", 1));
  files.set("components/metrics/again.yaml", deployment(name(1), 3));
  return files;
}

describe("a kustomization of thousands of entries, rendered by GreenOps' subset", () => {
  const files = platform();
  const rendered = render("platform/kustomization.yaml", files, new Set(files.keys()));
  // Lines of platform/kustomization.yaml: four lines, the entries, the first file again, then `components:`.
  const REPEATED_ENTRY = 5 + SERVICES;
  const COMPONENT_ENTRY = REPEATED_ENTRY + 2;

  it("renders every object, in order, with the kustomization's namespace and replicas", () => {
    const names = rendered.objects.map((o) => (o.value.metadata as { name: string }).name);
    expect(names).toEqual([
      ...Array.from({ length: SERVICES }, (_, i) => name(i)),
      name(0),
      "metrics-exporter",
      name(1),
    ]);
    expect(
      rendered.objects.every((o) => (o.value.metadata as { namespace: string }).namespace === "platform"),
    );
    expect(rendered.objects.at(SERVICES - 1)?.value.spec).toMatchObject({ replicas: 5 });
    expect(rendered.objects.at(SERVICES - 1)?.fields.get("/spec/replicas")?.value).toMatchObject({
      file: "platform/kustomization.yaml",
      startLine: COMPONENT_ENTRY + 3,
    });
  });

  it("refuses each object included twice where its second copy is included: a file named again, a component's", () => {
    const twice = (service: string, first: string, second: string) =>
      `Deployment/${service} is included twice (${first} and ${second}): kustomize build refuses it ("may not add resource with an already registered id"); GreenOps' subset renders both`;
    expect([...rendered.repeated.values()]).toEqual([
      {
        file: "components/metrics/kustomization.yaml",
        line: 5,
        message: twice(name(1), `platform/services/${name(1)}.yaml:1`, "components/metrics/again.yaml:1"),
      },
      {
        file: "platform/kustomization.yaml",
        line: REPEATED_ENTRY,
        message: twice(name(0), `platform/services/${name(0)}.yaml:1`, `platform/services/${name(0)}.yaml:1`),
      },
    ]);
    expect(rendered.problems).toEqual([]);
    expect(rendered.unsupported).toEqual([]);
  });
});
