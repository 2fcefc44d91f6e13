import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { greenops } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/**
 * A file (or a Kustomize directory) that cannot be read on one side of a review: its resources are
 * unknown there, not gone. A pull request that breaks a manifest does not remove its workload (the
 * deployment fails, the old one keeps running), nor does one that mends it add the workload. Before,
 * the broken side counted none of them: "−$175.57/month (−100%)", a saving nobody made.
 */
const SETTINGS = "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\nnodeCount: 3\ncurrency: USD\n";

const web = (cpu: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: web
          image: web:1
          resources:
            requests: { cpu: "${cpu}", memory: 4Gi }
            limits: { memory: 4Gi }
`;

const BROKEN = web("2").replace("memory: 4Gi }\n            limits", "memory: 4Gi\n            limits");

const KUSTOMIZATION = "resources:\n  - web.yaml\n";
const UNRENDERABLE = "resources:\n  - web.yaml\n  - https://example.com/remote-base\n";

type Row = { id: string; change: string };
type Diagnostic = { file: string; line: number; severity: string; message: string; unread?: string };

describe("a file that cannot be read on one side of a review", () => {
  let repo: TempRepo;

  beforeEach(() => {
    repo = tempRepo();
    repo.write("environments/prod/greenops.yml", SETTINGS);
    repo.write("environments/prod/other.yaml", web("1").replace("name: web", "name: other"));
  });

  afterEach(() => repo.dispose());

  function review() {
    const run = greenops(repo.root, "review", "--format", "json");
    const report = JSON.parse(run.stdout);
    expect(run.status, run.stderr).toBe(0);
    return {
      rows: (report.resources as Row[]).map((r) => `${r.change} ${r.id}`),
      delta: report.summary.monthlyCost.delta as number,
      diagnostics: report.diagnostics as Diagnostic[],
    };
  }

  it.each([
    ["breaks a manifest", "environments/prod/web.yaml", web("2"), BROKEN, "error", 12, /^invalid YAML/],
    // said at line 1 as a notice: the base's lines are not the head's, and the change mends it
    [
      "mends a manifest",
      "environments/prod/web.yaml",
      BROKEN,
      web("2"),
      "notice",
      1,
      /^on the base \(\w+\): invalid YAML/,
    ],
  ])("a pull request that %s changes nothing of it", (_, path, before, after, severity, line, message) => {
    repo.write(path, before);
    repo.commit("base");
    repo.write(path, after);
    const { rows, delta, diagnostics } = review();
    expect(rows).toEqual([]);
    expect(delta).toBe(0);
    const said = diagnostics.find((d) => d.file === path);
    expect(said).toMatchObject({ severity, line, unread: path });
    expect(said?.message).toMatch(message);
  });

  it("a Kustomize directory whose render cannot start is not compared either", () => {
    repo.write("environments/prod/app/web.yaml", web("2"));
    repo.write("environments/prod/app/kustomization.yaml", KUSTOMIZATION);
    repo.commit("base");
    repo.write("environments/prod/app/kustomization.yaml", UNRENDERABLE);
    const { rows, delta, diagnostics } = review();
    expect(rows).toEqual([]);
    expect(delta).toBe(0);
    expect(diagnostics.filter((d) => d.unread).map((d) => d.unread)).toEqual([
      "environments/prod/app/kustomization.yaml",
    ]);
  });

  it("the rest of the change is compared as before", () => {
    repo.write("environments/prod/web.yaml", web("2"));
    repo.commit("base");
    repo.write("environments/prod/web.yaml", BROKEN);
    repo.write("environments/prod/other.yaml", web("2").replace("name: web", "name: other"));
    const { rows, delta } = review();
    expect(rows).toEqual(["changed Deployment/shop/other"]);
    expect(delta).toBeGreaterThan(0);
  });
});
