import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byHand } from "../../app/engine/by-hand.ts";
import type { Finding } from "../../app/engine/finding.ts";
import { measureFixes } from "../../app/engine/fix-impact.ts";
import { checkFixes } from "../../app/engine/fix-outcomes.ts";
import { checkedReview } from "../../app/engine/review.ts";
import type { CheckedReview } from "../../app/engine/types.ts";
import { annotations } from "../../app/github/render/annotations.ts";
import { suggestionFor } from "../../app/github/render/suggestions.ts";
import { fixText } from "../../app/report/findings-markdown.ts";
import { jsonReportText } from "../../app/report/json-report.ts";
import { findingOn } from "../github/findings.ts";
import type { TempRepo } from "../helpers/git-repo.ts";
import { BASE, baseWithOverlays } from "../helpers/shared-base.ts";

/**
 * One outcome per fix of a review, decided by the check once (checkFixes) and read by every surface:
 * the Fix column, the annotations, the JSON report, the suggestions and the saving. A staging worker
 * is added to a repository whose Kustomize base staging and prod both include, and the base's image is
 * bumped; the fixes below are what faulty policies would offer, and one sound one.
 */

const WORKER_FILE = "environments/staging/worker.yaml";
const WORKER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  replicas: 4
  template:
    spec:
      containers:
        - name: worker
          image: ghcr.io/example/worker:1.3.0 # pinned until the queue migration lands
          resources:
            requests: { cpu: 500m, memory: 512Mi }
            limits: { memory: 512Mi }
`;
const HEAD_BASE = BASE.replace("web:2.0.1", "web:2.1.0");
const WEB = { id: "Deployment/shop/web", environment: "staging" };
const WORKER_ID = { id: "Deployment/shop/worker", environment: "staging" };

type Case = {
  name: string;
  finding: () => Finding;
  /** What the check found, or undefined when the fix is offered. */
  failed: string | undefined;
};

const fix = (file: string, text: string, needle: string, replacement: string, resource = WORKER_ID) =>
  findingOn(file, text, needle, {
    policy: "example-policy",
    severity: "warning",
    message: `${resource.id} could be cheaper`,
    replacement,
    resource,
  });

const CASES: Case[] = [
  {
    name: "changes another resource's figures (the base prod includes too)",
    finding: () => fix("base/web.yaml", HEAD_BASE, "replicas: 6", "replicas: 2", WEB),
    failed:
      "it would also change the figures of Deployment/shop/web in prod, which it is not for: make it by hand",
  },
  {
    name: "breaks the schema",
    finding: () => fix(WORKER_FILE, WORKER, "replicas: 4", 'replicas: "4"'),
    failed:
      "the fixed file would not be valid: Deployment /spec/replicas must be integer (Kubernetes schema) (line 7)",
  },
  {
    name: "removes a comment",
    finding: () =>
      fix(
        WORKER_FILE,
        WORKER,
        "ghcr.io/example/worker:1.3.0 # pinned until the queue migration lands",
        "ghcr.io/example/worker:1.3.0",
      ),
    failed: "it would remove a comment",
  },
  {
    name: "passes",
    finding: () => fix(WORKER_FILE, WORKER, "replicas: 4\n", "replicas: 2\n"),
    failed: undefined,
  },
];

let repo: TempRepo;
let checked: CheckedReview;
let findings: Finding[];

beforeAll(async () => {
  repo = baseWithOverlays(["staging", "prod"]);
  repo.write("base/web.yaml", HEAD_BASE);
  repo.write(WORKER_FILE, WORKER);
  checked = await checkedReview(repo.root, { base: "HEAD" });
  findings = CASES.map((entry) => entry.finding());
  await checkFixes(findings, checked);
  await measureFixes(findings, checked.impact);
});

afterAll(() => repo.dispose());

describe.each(CASES.map((entry, index) => ({ ...entry, index })))("a fix that $name", ({ failed, index }) => {
  const finding = () => findings[index] as Finding;

  it("has one outcome: offered, or by hand with the check's reason", () => {
    const manual = byHand(finding().fix);
    if (failed === undefined) return expect(manual).toBeUndefined();
    expect(manual?.cause).toBe("check");
    expect(finding().fix?.edits).toEqual([]);
    expect(manual?.reason).toBe(
      `its edit did not pass the check: ${failed.replace(/: make it by hand$/, "")}; make it by hand`,
    );
  });

  it("shows a saving only when offered", () => {
    const impact = finding().fix?.impact;
    if (failed !== undefined) return expect(impact).toBeUndefined();
    expect(impact?.monthlyCost).toBeLessThan(0);
    expect(fixText(finding().fix as NonNullable<Finding["fix"]>)).toMatch(/\(safe\): −\$[\d.]+\/month/);
  });

  it("is said the same in the Fix column, the annotation and the JSON report", () => {
    const report = { ...checked.report, findings: [finding()] };
    const cell = fixText(finding().fix as NonNullable<Finding["fix"]>);
    const [annotation] = annotations({ ...report, diagnostics: [] });
    const [json] = JSON.parse(jsonReportText(report)).findings;
    if (failed === undefined) {
      expect(annotation?.message).toContain(`Fix (safe): ${finding().fix?.title}`);
      expect(json.fix.byHand).toBeNull();
      expect(json.fix.edits).toHaveLength(1);
      return;
    }
    const reason = byHand(finding().fix)?.reason;
    expect(cell).toBe(`${finding().fix?.title}: ${reason}`);
    expect(annotation?.message).toContain(`Fix: ${cell}`);
    expect(json.fix).toMatchObject({ byHand: { cause: "check", reason }, edits: [], impact: null });
  });

  it("is suggested only when offered", () => {
    const file = CASES[index]?.finding().location.file ?? "";
    const text = file === WORKER_FILE ? WORKER : HEAD_BASE;
    const suggestion = suggestionFor(finding(), text, [{ start: 1, end: 20 }]);
    expect(suggestion === undefined).toBe(failed !== undefined);
  });
});

describe("the review's own findings", () => {
  it("were checked before the report: none keeps edits the check refused, and only offered ones have a saving", () => {
    for (const finding of checked.report.findings) {
      const manual = byHand(finding.fix);
      if (manual) expect(finding.fix?.impact).toBeUndefined();
      if (manual?.cause === "check") expect(finding.fix?.edits).toEqual([]);
    }
    expect(checked.report.findings.some((f) => f.fix && !byHand(f.fix) && f.fix.impact)).toBe(true);
  });
});
