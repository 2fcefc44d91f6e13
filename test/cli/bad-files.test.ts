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
  "environments/prod/shop/settings.yaml": { text: INVALID_YAML, line: 7 },
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
