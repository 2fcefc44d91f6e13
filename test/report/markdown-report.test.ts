import { afterEach, describe, expect, it } from "vitest";
import { estimate } from "../../app/engine/estimate.ts";
import { type Fix, fixOf } from "../../app/engine/finding.ts";
import { fixText } from "../../app/report/findings-markdown.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

let repo: TempRepo;
afterEach(() => repo?.dispose());

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: 2
  template: { spec: { containers: [{ name: web, image: nginx, resources: { requests: { cpu: "1", memory: 1Gi } } }] } }
`;
const application = (revision: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: shop, labels: { greenops.dev/environment: prod } }
spec:
  project: default
  source: { repoURL: https://github.com/example/shop.git, path: apps/shop, targetRevision: "${revision}" }
  destination: { server: https://kubernetes.default.svc, namespace: shop }
`;
const SETTINGS = "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\ncurrency: USD\n";

/** Each row of each table in `markdown`, as its cells: a bare | starts a cell, an escaped \| does not. */
function tables(markdown: string): { header: string[]; rows: string[][] }[] {
  const cells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/);
  const lines = markdown.split("\n");
  return lines.flatMap((line, i) => {
    if (!line.startsWith("|") || !lines[i + 1]?.startsWith("|---")) return [];
    const body = lines.slice(i + 2);
    const end = body.findIndex((row) => !row.startsWith("|"));
    return [{ header: cells(line), rows: body.slice(0, end < 0 ? undefined : end).map(cells) }];
  });
}

/** Text from a repository or its settings, with a | in it, and the table it shows up in. */
const CASES: { name: string; files: Record<string, string>; table: string; text: string }[] = [
  {
    name: "a telemetry URL",
    files: {
      "environments/prod/greenops.yml": `${SETTINGS}telemetry:\n  prometheus: { url: "http://prometheus.prod.example:9090/a|b" }\n`,
      "environments/prod/web.yaml": deployment("web"),
    },
    table: "URL",
    text: "http://prometheus.prod.example:9090/a\\|b",
  },
  {
    name: "a file name, where a resource is",
    files: {
      "environments/prod/greenops.yml": SETTINGS,
      "environments/prod/web|api.yaml": deployment("web"),
    },
    table: "Location",
    text: "`environments/prod/web\\|api.yaml:1`",
  },
  {
    name: "a file name, where a finding is",
    files: {
      "environments/prod/greenops.yml": SETTINGS,
      "environments/prod/web|api.yaml": deployment("web"),
    },
    table: "Where",
    text: "`environments/prod/web\\|api.yaml:6`",
  },
  {
    name: "a file name, where a diagnostic is",
    files: { "k8s/web|api.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web\n" },
    table: "Location",
    text: "`k8s/web\\|api.yaml:3`",
  },
  {
    name: "an environment name",
    files: { "environments/a|b/greenops.yml": SETTINGS, "environments/a|b/web.yaml": deployment("web") },
    table: "Environment",
    text: "a\\|b",
  },
  {
    name: "an ArgoCD Application's revision",
    files: {
      "environments/prod/greenops.yml": SETTINGS,
      "apps/shop/web.yaml": deployment("web"),
      "argocd/shop.yaml": application("release|2026"),
    },
    table: "Revision",
    text: "release\\|2026",
  },
];

describe("text with a | in a table of the markdown report", () => {
  it.each(CASES)("$name stays in its cell", async ({ files, table, text }) => {
    repo = tempRepo();
    for (const [path, content] of Object.entries(files)) repo.write(path, content);
    repo.commit("shop");
    const markdown = markdownReport(await estimate(repo.root));

    for (const { header, rows } of tables(markdown))
      for (const row of rows) expect(row, row.join("|")).toHaveLength(header.length);
    const cells = tables(markdown).flatMap(({ header, rows }) =>
      rows.flatMap((row) => row.map((cell, i) => [header[i]?.trim(), cell.trim()] as const)),
    );
    expect(cells.filter(([, cell]) => cell.includes(text)).map(([column]) => column)).toContain(table);
  });
});

describe("the scope line counts in words", () => {
  it.each([
    [
      { "environments/prod/greenops.yml": SETTINGS, "environments/prod/web.yaml": deployment("web") },
      "1 resource in 1 file",
    ],
    [
      {
        "environments/prod/greenops.yml": SETTINGS,
        "environments/prod/web.yaml": deployment("web"),
        "environments/prod/api.yaml": `${deployment("api")}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: api, namespace: shop }\n`,
      },
      "3 resources in 2 files (1 costs nothing by itself and is not listed)",
    ],
  ])("%#: %s", async (files, words) => {
    repo = tempRepo();
    for (const [path, content] of Object.entries(files)) repo.write(path, content);
    repo.commit("shop");
    expect(markdownReport(await estimate(repo.root))).toContain(` · ${words}`);
  });
});

describe("a fix in words (fixText: the Fix column, the AI advisor's facts and answers)", () => {
  const edit = [{ file: "a.yaml", start: 0, end: 1, text: "b" }];
  it.each([
    [fixOf("Use gp3", "safe", edit), "Use gp3 (safe)"],
    [
      {
        ...fixOf("Lower replicas to 2", "suggestion", edit),
        impact: { monthlyCost: -3, monthlyCarbonKg: null },
      },
      "Lower replicas to 2 (suggestion): −$3.00/month",
    ],
    [
      fixOf("Use gp3", "safe", () => ({ byHand: "yaml-anchor" })),
      "Use gp3: its edit cannot be written here (its value is shared through a YAML anchor that an alias also reads): make it by hand",
    ],
    [
      fixOf("Add requests", "suggestion", { byHand: "not-written" }),
      "Add requests: its edit cannot be written here (its value is not written in the file): make it by hand",
    ],
    [
      fixOf("Use m6g.large", "suggestion", () => ({ byHand: "computed" })),
      "Use m6g.large: its edit cannot be written here (its value is computed when the program runs): make it by hand",
    ],
  ])("case %#", (fix: Fix, text) => {
    expect(fixText(fix)).toBe(text);
  });
});
