import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { estimate } from "../../../app/engine/estimate.ts";
import type { Edits } from "../../../app/engine/finding.ts";
import { applyEdits } from "../../../app/engine/fix-edits.ts";
import { setFields } from "../../../app/engine/policy-kit.ts";
import { render } from "../../../app/iac/kustomize/render.ts";
import type { YamlValue } from "../../../app/iac/yaml/yaml-edits.ts";
import { YamlFile } from "../../../app/iac/yaml/yaml-file.ts";
import { type TempRepo, tempRepo } from "../../helpers/git-repo.ts";

/**
 * A Kustomize-rendered resource's fixes are written in the bases and patches it is rendered from, as
 * the manifest editor writes YAML (quotes and style kept, comments kept, missing maps created), and
 * render (GreenOps' subset, and kubectl kustomize when it is installed) to the value asked; asked
 * again, they change nothing.
 */

const KUBECTL = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
const repos: TempRepo[] = [];
afterAll(() => {
  for (const repo of repos) repo.dispose();
});

// A Service first: the Deployment is the file's second document.
const BASE = `# The web front end, as every environment runs it.
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  ports: [{ port: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    example.com/note: "say \\"hi\\"" # double-quoted
    example.com/owner: 'team web'
    example.com/summary: |
      The web front end.
    example.com/tier: front
spec:
  replicas: 2 # the base's count
  template:
    spec:
      containers:
        - name: web # serves pages
          image: ghcr.io/example/web:2.0.1
          resources:
            requests: {cpu: 250m} # measured in March
        - name: proxy
          image: envoyproxy/envoy:v1.31
`;

const KUSTOMIZATION = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
const base = {
  "base/kustomization.yaml": `${KUSTOMIZATION}resources:\n  - web.yaml\n`,
  "base/web.yaml": BASE,
};
const overlay = (rest = "") => `${KUSTOMIZATION}resources:\n  - ../base\n${rest}`;
const patchOf = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
${container}`;
const MEMORY_PATCH = patchOf(`          resources:
            requests:
              memory: 1Gi # production pages are larger
`);

type Change = { path: (string | number)[]; value: YamlValue };
type Case = {
  name: string;
  files: Record<string, string>;
  changes: Change[];
  /** Each edited file's text: its original with these replacements. */
  written: Record<string, [before: string, after: string][]>;
};

const WEB = ["spec", "template", "spec", "containers", 0];
const PROXY = ["spec", "template", "spec", "containers", 1];
const note = (key: string) => ["metadata", "annotations", `example.com/${key}`];

const CASES: Case[] = [
  {
    name: "a double-quoted string that needs escapes stays double-quoted, YAML-escaped",
    files: { ...base, "prod/kustomization.yaml": overlay() },
    changes: [{ path: note("note"), value: 'say "bye" \\ now' }],
    written: { "base/web.yaml": [['"say \\"hi\\""', '"say \\"bye\\" \\\\ now"']] },
  },
  {
    name: "a single-quoted string given a quote doubles it, as YAML does",
    files: { ...base, "prod/kustomization.yaml": overlay() },
    changes: [{ path: note("owner"), value: "it's web" }],
    written: { "base/web.yaml": [["'team web'", "'it''s web'"]] },
  },
  {
    name: "a plain string that would read as another type or a map is quoted",
    files: { ...base, "prod/kustomization.yaml": overlay() },
    changes: [{ path: note("tier"), value: "tier: yes" }],
    written: { "base/web.yaml": [["tier: front", 'tier: "tier: yes"']] },
  },
  {
    name: "a block scalar stays a block, its chomping indicator as the value's line breaks need",
    files: { ...base, "prod/kustomization.yaml": overlay() },
    changes: [{ path: note("summary"), value: "Serves pages." }],
    written: { "base/web.yaml": [["|\n      The web front end.\n", "|-\n      Serves pages.\n"]] },
  },
  {
    name: "a value in a flow map is replaced there, a missing one added to it",
    files: { ...base, "prod/kustomization.yaml": overlay() },
    changes: [
      { path: [...WEB, "resources", "requests", "cpu"], value: "500m" },
      { path: [...WEB, "resources", "requests", "memory"], value: "256Mi" },
    ],
    written: { "base/web.yaml": [["{cpu: 250m}", "{cpu: 500m, memory: 256Mi}"]] },
  },
  {
    name: "missing in the base (no patch sets that container's resources): inserted into the base",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay("patches:\n  - path: web.yaml\n"),
      "prod/web.yaml": MEMORY_PATCH,
    },
    changes: [
      { path: [...PROXY, "resources", "requests", "cpu"], value: 100 },
      { path: [...PROXY, "resources", "requests", "memory"], value: "128Mi" },
    ],
    written: {
      "base/web.yaml": [
        [
          "envoyproxy/envoy:v1.31\n",
          "envoyproxy/envoy:v1.31\n          resources:\n            requests:\n              cpu: 100\n              memory: 128Mi\n",
        ],
      ],
    },
  },
  {
    name: "a value a strategic-merge patch sets is replaced in the patch",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay("patches:\n  - path: web.yaml\n"),
      "prod/web.yaml": MEMORY_PATCH,
    },
    changes: [{ path: [...WEB, "resources", "requests", "memory"], value: "768Mi" }],
    written: { "prod/web.yaml": [["memory: 1Gi", "memory: 768Mi"]] },
  },
  {
    name: "missing where a patch sets that container's resources: inserted into the patch",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay("patches:\n  - path: web.yaml\n"),
      "prod/web.yaml": MEMORY_PATCH,
    },
    changes: [{ path: [...WEB, "resources", "limits", "memory"], value: "1Gi" }],
    written: {
      "prod/web.yaml": [["larger\n", "larger\n            limits:\n              memory: 1Gi\n"]],
    },
  },
  {
    name: "missing where a patch sets only that container's image: inserted into the base",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay("patches:\n  - path: web.yaml\n"),
      "prod/web.yaml": patchOf("          image: ghcr.io/example/web:2.1.0\n"),
    },
    changes: [{ path: [...WEB, "resources", "limits", "memory"], value: "256Mi" }],
    written: {
      "base/web.yaml": [
        ["# measured in March\n", "# measured in March\n            limits:\n              memory: 256Mi\n"],
      ],
    },
  },
  {
    name: "missing beside the name a patch targets by: inserted into the base",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay("patches:\n  - path: web.yaml\n"),
      "prod/web.yaml": MEMORY_PATCH,
    },
    changes: [{ path: note("team"), value: "web" }],
    written: { "base/web.yaml": [["tier: front\n", "tier: front\n    example.com/team: web\n"]] },
  },
  {
    name: "a value a component's patch sets is replaced in the component",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay("components:\n  - ../memory\n"),
      "memory/kustomization.yaml":
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: web.yaml\n",
      "memory/web.yaml": MEMORY_PATCH,
    },
    changes: [{ path: [...WEB, "resources", "requests", "memory"], value: "2Gi" }],
    written: { "memory/web.yaml": [["memory: 1Gi", "memory: 2Gi"]] },
  },
  {
    name: "a value a JSON 6902 patch replaces is replaced in its operation",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay(
        "patches:\n  - path: replicas.yaml\n    target: { kind: Deployment, name: web }\n",
      ),
      "prod/replicas.yaml": "- op: replace\n  path: /spec/replicas\n  value: 6 # Black Friday\n",
    },
    changes: [{ path: ["spec", "replicas"], value: 4 }],
    written: { "prod/replicas.yaml": [["value: 6", "value: 4"]] },
  },
  {
    name: "missing in the map a JSON 6902 patch adds: inserted into its operation's value",
    files: {
      ...base,
      "prod/kustomization.yaml": overlay(
        "patches:\n  - path: proxy.yaml\n    target: { group: apps, version: v1, kind: Deployment, name: web }\n",
      ),
      "prod/proxy.yaml":
        "- op: add\n  path: /spec/template/spec/containers/1/resources\n  value:\n    requests: { cpu: 100m, memory: 128Mi }\n",
    },
    changes: [{ path: [...PROXY, "resources", "limits", "memory"], value: "128Mi" }],
    written: {
      "prod/proxy.yaml": [["128Mi }\n", "128Mi }\n    limits:\n      memory: 128Mi\n"]],
    },
  },
  {
    name: "a count the kustomization's replicas sets is replaced there",
    files: { ...base, "prod/kustomization.yaml": overlay("replicas:\n  - name: web\n    count: 6 # peak\n") },
    changes: [{ path: ["spec", "replicas"], value: 3 }],
    written: { "prod/kustomization.yaml": [["count: 6", "count: 3"]] },
  },
];

function repository(files: Record<string, string>): string {
  const repo = tempRepo();
  repos.push(repo);
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  return repo.root;
}

const ID = "Deployment/web";

/** The fix's edits for the Deployment as the engine reads `dir` (kubectl's render or the subset's). */
async function editsOf(dir: string, changes: Change[], kubectl: boolean, id = ID): Promise<Edits> {
  const report = await estimate(dir, { projects: { kubectl: kubectl ? "kubectl" : false } });
  const resource = report.rows.find((row) => row.after?.resource.id === id)?.after?.resource;
  if (!resource) throw new Error(`${id} is not rendered`);
  return setFields((file) => readFileSync(join(dir, file), "utf8"), resource, changes);
}

function applied(dir: string, edits: Edits): Map<string, string> {
  if (!Array.isArray(edits)) throw new Error(`made by hand: ${edits.byHand}`);
  const texts = new Map<string, string>();
  for (const file of new Set(edits.map((edit) => edit.file))) {
    const mine = edits.filter((edit) => edit.file === file);
    texts.set(file, applyEdits(readFileSync(join(dir, file), "utf8"), mine));
  }
  return texts;
}

function valueAt(objects: Record<string, unknown>[], path: (string | number)[]): unknown {
  const deployment = objects.find((o) => o.kind === "Deployment");
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], deployment);
}

function subsetRender(files: Record<string, string>): Record<string, unknown>[] {
  const rendered = render(
    "prod/kustomization.yaml",
    new Map(Object.entries(files)),
    new Set(Object.keys(files)),
  );
  return rendered.objects.map((o) => o.value);
}

function kubectlRender(dir: string): Record<string, unknown>[] {
  const run = spawnSync("kubectl", ["kustomize", join(dir, "prod")], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return new YamlFile("rendered.yaml", run.stdout).documents.map((d) => d.value as Record<string, unknown>);
}

const RENDERERS: [string, boolean][] = [
  ["GreenOps' subset", false],
  ...(KUBECTL ? [["kubectl kustomize", true] as [string, boolean]] : []),
];

describe.each(RENDERERS)("a Kustomize fix rendered by %s", (_, kubectl) => {
  it.each(CASES)("$name", async ({ files, changes, written }) => {
    const dir = repository(files);
    const texts = applied(dir, await editsOf(dir, changes, kubectl));
    const expected = Object.entries(written).map(([file, replacements]) => {
      const text = replacements.reduce((t, [before, after]) => {
        expect(t.split(before)).toHaveLength(2);
        return t.replace(before, after);
      }, files[file] ?? "");
      return [file, text];
    });
    expect([...texts]).toEqual(expected);

    for (const [file, text] of texts) writeFileSync(join(dir, file), text);
    const fixed = { ...files, ...Object.fromEntries(texts) };
    const renders = [subsetRender(fixed), ...(KUBECTL ? [kubectlRender(dir)] : [])];
    for (const objects of renders)
      for (const { path, value } of changes) expect(String(valueAt(objects, path))).toBe(String(value));

    const again = applied(dir, await editsOf(dir, changes, kubectl));
    for (const [file, text] of again) expect(text).toBe(fixed[file]);
  });

  const INLINE =
    "patches:\n  - target: { kind: Deployment, name: web }\n    patch: |\n      - op: replace\n        path: /spec/replicas\n        value: 6\n";
  const INLINE_MERGE =
    "patches:\n  - patch: |\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: { name: web }\n      spec: { replicas: 6 }\n";
  it.each([
    {
      name: "a value an inline strategic-merge patch sets: YAML inside a string of the kustomization",
      files: { ...base, "prod/kustomization.yaml": overlay(INLINE_MERGE) },
      change: { path: ["spec", "replicas"], value: 3 },
      byHand: "inline-patch",
    },
    {
      name: "a value an inline patch sets: it is text inside the kustomization",
      files: { ...base, "prod/kustomization.yaml": overlay(INLINE) },
      change: { path: ["spec", "replicas"], value: 3 },
      byHand: "inline-patch",
    },
    {
      name: "a name namePrefix makes: the base writes only its end",
      files: { ...base, "prod/kustomization.yaml": overlay("namePrefix: prod-\n") },
      change: { path: ["metadata", "name"], value: "web" },
      byHand: "not-written",
    },
    {
      name: "a value an alias in the base also reads",
      files: {
        ...base,
        "base/web.yaml": BASE.replace(
          "requests: {cpu: 250m}",
          "requests: &r {cpu: 250m}\n            limits: *r",
        ),
        "prod/kustomization.yaml": overlay(),
      },
      change: { path: [...WEB, "resources", "requests", "cpu"], value: "500m" },
      byHand: "yaml-anchor",
    },
  ])("is made by hand for $name", async ({ files, change, byHand }) => {
    const id = files["prod/kustomization.yaml"]?.includes("namePrefix") ? "Deployment/prod-web" : ID;
    expect(await editsOf(repository(files), [change], kubectl, id)).toEqual({ byHand });
  });
});
