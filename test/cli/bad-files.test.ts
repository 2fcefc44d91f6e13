import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { greenops, json, PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** A CloudFormation template that deploys a manifest: it has apiVersion and kind lines, and !Ref tags. */
const CLOUDFORMATION = `AWSTemplateFormatVersion: "2010-09-09"
Description: Deploys the storefront onto the shared EKS cluster
Parameters:
  ClusterName:
    Type: String
Resources:
  StorefrontDeployment:
    Type: AWSQS::Kubernetes::Resource
    Properties:
      ClusterName: !Ref ClusterName
      Namespace: shop
      Manifest: !Sub |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: storefront
`;

const CUSTOM_TAG = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: !custom 3
  template:
    spec:
      containers:
        - name: worker
          image: ghcr.io/example/worker:1.0.0
          resources:
            requests: { cpu: 250m, memory: 256Mi }
`;

/** An unclosed flow sequence: the kind of file a bad merge leaves. */
const INVALID_YAML = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  key: [unclosed, list
  other: value
`;

const BAD = {
  "cloudformation/storefront.yaml": { text: CLOUDFORMATION, line: 10 },
  "environments/prod/shop/worker-tagged.yaml": { text: CUSTOM_TAG, line: 6 },
  "environments/prod/shop/settings.yaml": { text: INVALID_YAML, line: 6 },
};

type Row = { id: string; file: string; monthlyCost: { after: number | null } };
type Diagnostic = { file: string; line: number; severity: string; message: string };

function expectBadFilesReported(report: { diagnostics: Diagnostic[] }) {
  for (const [file, { line }] of Object.entries(BAD)) {
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        file,
        line,
        severity: "error",
        message: expect.stringMatching(/^invalid YAML: /),
      }),
    );
  }
}

describe("one bad file never fails the run (CLI)", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    repo.commit("environments as in the GreenOps repository");
    for (const [file, { text }] of Object.entries(BAD)) repo.write(file, text);
    repo.write(
      "environments/prod/shop/api.yaml",
      readFileSync(join(PROJECT, "environments/prod/shop/api.yaml"), "utf8").replace(
        "cpu: 500m",
        "cpu: 750m",
      ),
    );
  });

  afterAll(() => repo.dispose());

  it("estimate: each bad file is an error at its line, every other file is estimated, exit 0", () => {
    const report = json(repo.root, "estimate");
    expectBadFilesReported(report);
    const api = report.resources.find((r: Row) => r.id === "Deployment/shop/api" && r.file.includes("prod"));
    expect(api?.monthlyCost.after).toBeGreaterThan(0);
    expect(report.resources.length).toBeGreaterThan(10);
  });

  it("review: the same errors, and the change beside them is still compared", () => {
    const report = json(repo.root, "review");
    expectBadFilesReported(report);
    expect(report.resources).toContainEqual(
      expect.objectContaining({
        id: "Deployment/shop/api",
        change: "changed",
        file: "environments/prod/shop/api.yaml",
      }),
    );
  });

  it("prints no stack trace and says where, in markdown too", () => {
    const run = greenops(repo.root, "estimate");
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("`cloudformation/storefront.yaml:10`");
    expect(run.stdout).toContain("unknown tag !Ref");
  });
});

/** A file is either said (this diagnostic, and none of its resources) or read (one resource, no word). */
function expectSaidOrRead(
  report: { diagnostics: Diagnostic[]; resources: Row[] },
  path: string,
  said: Diagnostic | undefined,
) {
  const diagnostics = report.diagnostics.filter((d) => d.file === path);
  const read = report.resources.filter((r) => r.file === path);
  expect(diagnostics).toEqual(said ? [expect.objectContaining(said)] : []);
  expect(read).toHaveLength(said ? 0 : 1);
}

/** A workload with a fix to offer (no memory limit), whose comment and annotation hold non-ASCII text. */
const sized = (name: string) => `# Équipe paiements: the ${name} service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
  annotations:
    owner: “payments” café
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/example/${name}:1.0.0
          resources:
            requests: { cpu: 250m, memory: 256Mi }
`;

const utf16 = (text: string, order: "le" | "be") => {
  const le = Buffer.from(`\uFEFF${text}`, "utf16le");
  return order === "le" ? le : le.swap16();
};

const NOT_UTF8 = "(Latin-1 or Windows-1252 text?): save it as UTF-8; not read";
const UTF16 = "UTF-16 text (it starts with a UTF-16 byte order mark): save it as UTF-8; not read";

describe("files in another encoding than UTF-8", () => {
  const cases: [string, Buffer, string | undefined][] = [
    [
      "Latin-1",
      Buffer.from(sized("latin1").replace("“payments”", '"payments"'), "latin1"),
      `not UTF-8: byte 0xC9 at line 1, column 3 ${NOT_UTF8}`,
    ],
    [
      "Windows-1252 quotes after a U+FFFD the file holds",
      Buffer.concat([
        Buffer.from(sized("cp1252").split("“")[0]?.replace("Équipe", "\uFFFD") ?? ""),
        Buffer.from([0x93]),
        Buffer.from("payments"),
        Buffer.from([0x94]),
        Buffer.from(sized("cp1252").split("”")[1] ?? ""),
      ]),
      `not UTF-8: byte 0x93 at line 8, column 12 ${NOT_UTF8}`,
    ],
    ["UTF-16, little-endian", utf16(sized("utf16le"), "le"), UTF16],
    ["UTF-16, big-endian", utf16(sized("utf16be"), "be"), UTF16],
    ["UTF-8 with a byte order mark", Buffer.from(`\uFEFF${sized("bom")}`), undefined],
    ["UTF-8", Buffer.from(sized("utf8")), undefined],
  ];
  const path = (label: string) => `environments/prod/shop/${label.replace(/\W+/g, "-")}.yaml`;
  let repo: TempRepo;
  let report: { diagnostics: Diagnostic[]; resources: Row[] };

  beforeAll(() => {
    repo = tempRepo({ from: join(PROJECT, "environments"), to: "environments" });
    for (const [label, bytes] of cases) repo.write(path(label), bytes);
    repo.commit("manifests as editors on several systems save them");
    report = json(repo.root, "estimate");
  });

  afterAll(() => repo.dispose());

  it.each(cases)("%s: said where, or read", (label, _, message) => {
    const said =
      message === undefined ? undefined : { file: path(label), line: 1, severity: "warning", message };
    expectSaidOrRead(report, path(label), said);
  });

  it("greenops fix writes only the UTF-8 files: the others keep every byte", () => {
    const run = greenops(repo.root, "fix", "--all", "environments/prod/shop");
    expect(run.status).toBe(0);
    for (const [label, bytes, message] of cases) {
      const now = readFileSync(join(repo.root, path(label)));
      if (message === undefined) expect(now.toString()).toContain("limits:\n              memory: 256Mi");
      else expect(now).toEqual(bytes);
    }
  });
});

const nested = (depth: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nested\ndata:\n${Array.from(
    { length: depth },
    (_, i) => `${"  ".repeat(i + 1)}k${i}:`,
  ).join("\n")}\n`;

const templated = (replicas: string, image = "ghcr.io/example/web:1.0.0") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: web
          image: ${image}
          resources:
            requests: { cpu: 250m, memory: 256Mi }
`;

const TEMPLATE =
  "which GreenOps does not evaluate: render it (helm template) and review the output; the file is not estimated";

describe("YAML GreenOps does not evaluate says why, not 'invalid YAML'", () => {
  const cases: [string, string, Omit<Diagnostic, "file"> | undefined][] = [
    [
      "nested beyond the depth limit",
      nested(70),
      {
        line: 68,
        severity: "error",
        message:
          "YAML nested deeper than 64 levels, the most GreenOps reads (a bound against runaway files), exceeded at line 68, column 127; the file is not estimated",
      },
    ],
    ["nested within it", nested(40), undefined],
    [
      "a Go template as a value",
      templated("{{ .Values.replicas }}"),
      {
        line: 6,
        severity: "error",
        message: `looks like an unrendered Go template: {{ .Values.replicas }} at line 6, column 13, ${TEMPLATE}`,
      },
    ],
    [
      "Go template actions around the documents",
      `{{- if .Values.web.enabled }}\n${templated("2")}{{- end }}\n`,
      {
        line: 1,
        severity: "error",
        message: `looks like an unrendered Go template: {{- if .Values.web.enabled }} at line 1, column 1, ${TEMPLATE}`,
      },
    ],
    ["a template in a quoted string: plain YAML", templated("2", '"{{ .Values.image }}"'), undefined],
    [
      "a template inside a plain string: plain YAML",
      // Another Deployment than the quoted string's: one name twice in an environment is warned of.
      templated("2", "ghcr.io/example/web:{{ .Chart.Version }}").replace(
        "  name: web\n",
        "  name: web-pinned\n",
      ),
      undefined,
    ],
  ];
  const path = (label: string) => `deploy/${label.replace(/\W+/g, "-")}.yaml`;
  let repo: TempRepo;
  let report: { diagnostics: Diagnostic[]; resources: Row[] };

  beforeAll(() => {
    repo = tempRepo();
    for (const [label, text] of cases) repo.write(path(label), text);
    repo.commit("manifests, some of them templates");
    report = json(repo.root, "estimate");
  });

  afterAll(() => repo.dispose());

  it.each(cases)("%s", (label, _, expected) => {
    expectSaidOrRead(report, path(label), expected && { ...expected, file: path(label) });
  });
});

describe("review of a file the working tree holds in a form GreenOps cannot read", () => {
  let repo: TempRepo;

  beforeAll(() => {
    repo = tempRepo();
    repo.write("deploy/payments.yaml", sized("payments"));
    repo.commit("payments, saved as UTF-8");
    repo.write(
      "deploy/payments.yaml",
      Buffer.from(sized("payments").replace("“payments”", '"payments"'), "latin1"),
    );
  });

  afterAll(() => repo.dispose());

  it("is unknown on both sides, not removed: no change is counted, and it is said why", () => {
    const report = json(repo.root, "review");
    expect(report.resources).toEqual([]);
    expect(report.summary.monthlyCost.delta).toBe(0);
    expect(report.diagnostics).toEqual([
      {
        file: "deploy/payments.yaml",
        line: 1,
        severity: "warning",
        message: `not UTF-8: byte 0xC9 at line 1, column 3 ${NOT_UTF8}`,
      },
    ]);
  });
});
