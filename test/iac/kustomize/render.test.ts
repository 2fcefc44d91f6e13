import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { estimate } from "../../../app/engine/estimate.ts";
import type { Report } from "../../../app/engine/types.ts";
import type { Resource, WorkloadDemand } from "../../../app/model/resource.ts";

const PROJECT = new URL("../../../", import.meta.url).pathname;
const SHOP = join(PROJECT, "test/fixtures/kustomize");
const KUBECTL = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "greenops-kustomize-test-"));
  temporary.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const resources = (report: Report): Resource[] =>
  report.rows.flatMap((row) => (row.after ? [row.after.resource] : []));
const byId = (report: Report, id: string) => resources(report).find((r) => r.id === id);
const at = (resource: Resource | undefined, pointer: string) => {
  const span = resource?.source.fields[pointer]?.value;
  return span && `${span.file.replace("test/fixtures/kustomize/shop/", "")}:${span.startLine}`;
};

describe("Kustomize overlays, with GreenOps' own subset (no kubectl)", async () => {
  const report = await estimate(SHOP, { projects: { kubectl: false } });

  it("renders each overlay once and reads the base only through them", () => {
    expect(
      resources(report)
        .map((r) => r.id)
        .sort(),
    ).toEqual([
      "Deployment/shop-dev/api",
      "Deployment/shop-prod/prod-api",
      "PersistentVolumeClaim/shop-dev/uploads",
      "PersistentVolumeClaim/shop-prod/prod-uploads",
      "Service/shop-dev/api",
      "Service/shop-prod/prod-api",
    ]);
    expect(report.diagnostics).toEqual([]);
  });

  it("applies replicas, strategic merge patches by container name, and JSON6902 patches", () => {
    const prod = byId(report, "Deployment/shop-prod/prod-api")?.demand as WorkloadDemand;
    expect(prod.replicas.count).toBe(6);
    expect(prod.containers.map((c) => [c.name, c.effective.cpuMillis])).toEqual([
      ["api", 1000],
      ["proxy", 100],
    ]);
    expect(byId(report, "PersistentVolumeClaim/shop-prod/prod-uploads")?.demand).toMatchObject({
      storageBytes: 500 * 2 ** 30,
    });
  });

  it("points each field at the file that defined it: the base where no overlay changed it", () => {
    const prod = byId(report, "Deployment/shop-prod/prod-api");
    expect(prod?.source.span).toMatchObject({
      file: "test/fixtures/kustomize/shop/base/api.yaml",
      startLine: 2,
    });
    expect(at(prod, "/spec/replicas")).toBe("overlays/prod/kustomization.yaml:9");
    expect(at(prod, "/spec/template/spec/containers/0/resources/requests/cpu")).toBe(
      "overlays/prod/api-resources.yaml:13",
    );
    expect(at(prod, "/spec/template/spec/containers/1/resources/requests/cpu")).toBe("base/api.yaml:26");
    expect(at(byId(report, "Deployment/shop-dev/api"), "/spec/replicas")).toBe("base/api.yaml:8");
  });
});

describe.runIf(KUBECTL)("Kustomize overlays with kubectl kustomize", async () => {
  it("renders the same objects as the subset, located the same where values agree", async () => {
    const subset = await estimate(SHOP, { projects: { kubectl: false } });
    const kubectl = await estimate(SHOP, { projects: { kubectl: "kubectl" } });
    const summary = (r: Report) =>
      resources(r)
        .map((x) => [x.id, JSON.stringify(x.demand), at(x, "/spec/replicas")])
        .sort();
    expect(summary(kubectl)).toEqual(summary(subset));
  });

  it("locates the fields of a container kubectl's merge moved to the front by its name", async () => {
    const base = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:2.0.1
          resources:
            requests: { cpu: 250m, memory: 256Mi }
        - name: proxy
          image: envoyproxy/envoy:v1.31
`;
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: proxy
          resources:
            requests: { memory: 1Gi }
`;
    const dir = repository({
      "base/kustomization.yaml": "resources:\n  - web.yaml\n",
      "base/web.yaml": base,
      "prod/kustomization.yaml": "namespace: prod\nresources:\n  - ../base\npatches:\n  - path: proxy.yaml\n",
      "prod/proxy.yaml": patch,
    });
    const web = byId(await estimate(dir, { projects: { kubectl: "kubectl" } }), "Deployment/prod/web");
    expect(at(web, "/spec/template/spec/containers/0")).toBe("base/web.yaml:12");
    expect(at(web, "/spec/template/spec/containers/0/resources/requests/memory")).toBe("prod/proxy.yaml:10");
    expect(at(web, "/spec/template/spec/containers/1")).toBe("base/web.yaml:8");
    expect(at(web, "/spec/template/spec/containers/1/resources/requests/cpu")).toBe("base/web.yaml:11");
  });
});

const deployment =
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: { replicas: 1, template: { spec: { containers: [{ name: app }] } } }\n";

describe("Kustomize directories that cannot be rendered", () => {
  it.each([
    [
      "a remote base",
      "https://github.com/example/app//base?ref=v1",
      "is a remote resource: it cannot be fetched offline; not rendered",
    ],
    ["a path outside the repository", "../../../outside", "points outside the repository; not rendered"],
    ["an absolute path", "/etc/kubernetes/manifests", "points outside the repository; not rendered"],
  ])("say so for %s, and the rest is estimated", async (_, entry, message) => {
    const dir = repository({
      "app/kustomization.yaml": `resources:\n  - web.yaml\n  - ${entry}\n`,
      "app/web.yaml": deployment,
      "other/plain.yaml": deployment.replace("web", "plain"),
    });
    const report = await estimate(dir, { projects: { kubectl: false } });
    expect(resources(report).map((r) => r.id)).toEqual(["Deployment/plain"]);
    expect(report.diagnostics).toEqual([
      {
        file: "app/kustomization.yaml",
        line: 3,
        severity: "error",
        message: `${entry} ${message}`,
        // a review compares the directory's resources on neither side
        unread: "app/kustomization.yaml",
      },
    ]);
  });

  it.each([
    ["a file that is missing", "missing.yaml", "app/missing.yaml is missing; not rendered"],
    ["a folder that is missing", "../nowhere", "nowhere is missing; not rendered"],
    [
      "a folder without a kustomization",
      "../other",
      "other is a folder without a kustomization file; not rendered",
    ],
    [
      "a file that is not UTF-8",
      "latin1.yaml",
      "app/latin1.yaml is not read (see its warning); not rendered",
    ],
  ])("say where a kustomization names %s, and render the rest", async (_, entry, message) => {
    const dir = repository({
      "app/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1\nresources:\n  - web.yaml\n  - ${entry}\n`,
      "app/web.yaml": deployment,
      "other/plain.yaml": deployment.replace("web", "plain"),
    });
    writeFileSync(join(dir, "app/latin1.yaml"), Buffer.from(`# café\n${deployment}`, "latin1"));
    const report = await estimate(dir, { projects: { kubectl: false } });
    expect(resources(report).map((r) => r.id)).toEqual(["Deployment/plain", "Deployment/web"]);
    expect(report.diagnostics.filter((d) => d.file === "app/kustomization.yaml")).toEqual([
      { file: "app/kustomization.yaml", line: 4, severity: "error", message },
    ]);
  });

  it.each<[string, string | false, string[]]>([
    ["kubectl is missing", false, []],
    // kubectl kustomize inflates no chart without --enable-helm: it fails, and the subset renders.
    ...(KUBECTL
      ? [["kubectl fails", "kubectl", ["error kubectl kustomize failed"]] as [string, string, string[]]]
      : []),
  ])("says which fields the subset does not apply when %s", async (_, kubectl, errors) => {
    const dir = repository({
      "app/kustomization.yaml": "resources:\n  - web.yaml\nhelmCharts:\n  - name: redis\n",
      "app/web.yaml": deployment,
    });
    const report = await estimate(dir, { projects: { kubectl } });
    expect(resources(report).map((r) => r.id)).toEqual(["Deployment/web"]);
    expect(
      report.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.message.split(":")[0]}`),
    ).toEqual([
      ...errors.map((error) => `app/kustomization.yaml:1 ${error}`),
      "app/kustomization.yaml:3 warning helmCharts is not applied by GreenOps' Kustomize subset (install kubectl to render it)",
    ]);
  });

  it("reports a patch that matches nothing", async () => {
    const dir = repository({
      "app/kustomization.yaml":
        "resources:\n  - web.yaml\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: { name: nope }\n",
      "app/web.yaml": deployment,
    });
    const report = await estimate(dir, { projects: { kubectl: false } });
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        line: 4,
        severity: "error",
        message: "patches[0] matches no resource; not applied",
      }),
    ]);
  });
});

const RENDERERS: [string, string | false][] = [
  ["GreenOps' subset", false],
  ...(KUBECTL ? [["kubectl kustomize", "kubectl"] as [string, string]] : []),
];

describe.each(RENDERERS)("an object a kustomization includes twice, rendered by %s", (_, kubectl) => {
  const refused = (id: string, first: string, second: string) =>
    `${id} is included twice (${first} and ${second}): kustomize build refuses it ("may not add resource with an already registered id"); GreenOps' subset renders both`;
  const again = deployment.replace("replicas: 1", "replicas: 4");
  // The line of the second document of `${deployment}---\n${again}`.
  const SECOND_DOCUMENT = deployment.split("\n").length + 1;

  it.each<{
    case: string;
    files: Record<string, string>;
    error: string;
    counted: [string, string | undefined][];
  }>([
    {
      case: "in two files: one error, at the entry that includes the second copy",
      files: {
        "environments/prod/app/kustomization.yaml": "resources:\n  - web.yaml\n  - web-again.yaml\n",
        "environments/prod/app/web.yaml": deployment,
        "environments/prod/app/web-again.yaml": again,
      },
      error: `environments/prod/app/kustomization.yaml:3 ${refused("Deployment/web", "environments/prod/app/web.yaml:1", "environments/prod/app/web-again.yaml:1")}`,
      counted: [
        ["environments/prod/app/web.yaml", undefined],
        ["environments/prod/app/web-again.yaml", "environments/prod/app/web.yaml:1"],
      ],
    },
    {
      case: "in a base: one error, at the base's entry, not again at the overlay that includes it",
      files: {
        "environments/prod/overlay/kustomization.yaml": "resources:\n  - ../base\n",
        "environments/prod/base/kustomization.yaml": "resources:\n  - web.yaml\n  - web-again.yaml\n",
        "environments/prod/base/web.yaml": deployment,
        "environments/prod/base/web-again.yaml": again,
      },
      error: `environments/prod/base/kustomization.yaml:3 ${refused("Deployment/web", "environments/prod/base/web.yaml:1", "environments/prod/base/web-again.yaml:1")}`,
      counted: [
        ["environments/prod/base/web.yaml", undefined],
        ["environments/prod/base/web-again.yaml", "environments/prod/base/web.yaml:1"],
      ],
    },
    {
      case: "twice in one file: at the file's entry",
      files: {
        "environments/prod/app/kustomization.yaml": "resources:\n  - web.yaml\n",
        "environments/prod/app/web.yaml": `${deployment}---\n${again}`,
      },
      error: `environments/prod/app/kustomization.yaml:2 ${refused("Deployment/web", "environments/prod/app/web.yaml:1", `environments/prod/app/web.yaml:${SECOND_DOCUMENT}`)}`,
      counted: [
        ["environments/prod/app/web.yaml", `environments/prod/app/web.yaml:${SECOND_DOCUMENT}`],
        ["environments/prod/app/web.yaml", undefined],
      ],
    },
  ])("$case", async ({ files, error, counted }) => {
    const report = await estimate(repository(files), { projects: { kubectl } });
    const copies = report.rows.map((row): [string | undefined, string | undefined] => {
      const notCounted = row.after?.notCounted?.counted;
      return [row.after?.resource.source.span.file, notCounted && `${notCounted.file}:${notCounted.line}`];
    });
    expect(copies).toEqual(counted);
    const errors = report.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.file}:${d.line} ${d.message}`)).toEqual([error]);
  });
});
