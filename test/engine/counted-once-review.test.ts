import { afterEach, describe, expect, it } from "vitest";
import { exampleDeployment } from "../../app/engine/budget-policy.ts";
import { estimate } from "../../app/engine/estimate.ts";
import { review } from "../../app/engine/review.ts";
import type { Report } from "../../app/engine/types.ts";
import { completion } from "../../app/github/render/check-output.ts";
import { jsonReportText } from "../../app/report/json-report.ts";
import { markdownReport } from "../../app/report/markdown-report.ts";
import { totals } from "../../app/report/summary.ts";
import { validReport } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { expectGolden } from "../helpers/golden.ts";

let repo: TempRepo;
afterEach(() => repo?.dispose());

const SETTINGS = "cloud: aws\nregion: us-east-1\nnodeInstanceType: m5.xlarge\nnodeCount: 6\ncurrency: USD\n";

const api = exampleDeployment;

const service = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
`;

const BASE = {
  "environments/prod/greenops.yml": SETTINGS,
  "environments/dev/greenops.yml": SETTINGS,
  "environments/prod/shop/api.yaml": api(3),
};

/** One review of a change to BASE: the rows it shows (change, place, counted or not) and the totals' delta. */
function reviewed(report: Report): { rows: string[]; delta: number | null } {
  const rows = report.rows.map((row) => {
    const side = row.after ?? row.before;
    const span = side?.resource.source.span;
    const counted = side?.notCounted
      ? ` not counted (counted at ${side.notCounted.counted.file}:${side.notCounted.counted.line})`
      : "";
    return `${row.change} ${side?.resource.id} ${span?.file}:${span?.startLine}${counted}`;
  });
  return { rows: rows.sort(), delta: totals(report).monthlyCost.delta };
}

/** Reviews a change (null: a file removed) to BASE and `base`, committed one after the other. */
async function reviewChange(
  change: Record<string, string | null>,
  base: Record<string, string> = {},
): Promise<Report> {
  repo = tempRepo();
  for (const [path, text] of Object.entries({ ...BASE, ...base })) repo.write(path, text);
  repo.commit("base");
  for (const [path, text] of Object.entries(change)) {
    if (text === null) repo.remove(path);
    else repo.write(path, text);
  }
  repo.commit("change");
  return review(repo.root, {
    base: "HEAD~1",
    head: "HEAD",
    projects: { runPrograms: false, kubectl: false },
  });
}

describe("a review of an object declared twice counts it once", () => {
  it.each<{
    case: string;
    base?: Record<string, string>;
    change: Record<string, string | null>;
    rows: string[];
    costs: "same" | "more";
  }>([
    {
      case: "adding a second copy after the first: the object does not change",
      change: { "environments/prod/shop/web-api.yaml": api(3) },
      rows: ["unchanged Deployment/shop/api environments/prod/shop/web-api.yaml:1"],
      costs: "same",
    },
    {
      case: "adding a second copy before the first: a row not counted",
      change: { "environments/prod/shop/00-api.yaml": api(3) },
      rows: [
        "added Deployment/shop/api environments/prod/shop/00-api.yaml:1 not counted (counted at environments/prod/shop/api.yaml:1)",
      ],
      costs: "same",
    },
    {
      case: "adding a second copy in the same file, with a Service between",
      change: { "environments/prod/shop/api.yaml": `${api(3)}---\n${service}---\n${api(3)}` },
      rows: [
        "added Service/shop/api environments/prod/shop/api.yaml:18",
        "unchanged Deployment/shop/api environments/prod/shop/api.yaml:1 not counted (counted at environments/prod/shop/api.yaml:27)",
        "unchanged Deployment/shop/api environments/prod/shop/api.yaml:27",
      ],
      costs: "same",
    },
    {
      case: "adding a second copy that differs, applied last: the object changes as the cluster will",
      change: { "environments/prod/shop/web-api.yaml": api(5) },
      rows: ["changed Deployment/shop/api environments/prod/shop/web-api.yaml:1"],
      costs: "more",
    },
    {
      case: "adding a copy to another environment: a second object",
      change: { "environments/dev/shop/api.yaml": api(3) },
      rows: ["added Deployment/shop/api environments/dev/shop/api.yaml:1"],
      costs: "more",
    },
    {
      case: "removing the copy not counted: no drop",
      base: { "environments/prod/shop/00-api.yaml": api(3) },
      change: { "environments/prod/shop/00-api.yaml": null },
      rows: [
        "removed Deployment/shop/api environments/prod/shop/00-api.yaml:1 not counted (counted at environments/prod/shop/api.yaml:1)",
      ],
      costs: "same",
    },
    {
      case: "removing the copy counted: the other one is, no drop",
      base: { "environments/prod/shop/00-api.yaml": api(3) },
      change: { "environments/prod/shop/api.yaml": null },
      rows: ["unchanged Deployment/shop/api environments/prod/shop/00-api.yaml:1"],
      costs: "same",
    },
    {
      case: "changing the copy counted: the change shows",
      base: { "environments/prod/shop/00-api.yaml": api(3) },
      change: { "environments/prod/shop/api.yaml": api(4) },
      rows: ["changed Deployment/shop/api environments/prod/shop/api.yaml:1"],
      costs: "more",
    },
    {
      case: "changing the copy not counted: its row, and no cost",
      base: { "environments/prod/shop/00-api.yaml": api(3) },
      change: { "environments/prod/shop/00-api.yaml": api(9) },
      rows: [
        "changed Deployment/shop/api environments/prod/shop/00-api.yaml:1 not counted (counted at environments/prod/shop/api.yaml:1)",
      ],
      costs: "same",
    },
  ])("$case", async ({ base, change, rows, costs }) => {
    const { rows: shown, delta } = reviewed(await reviewChange(change, base));
    expect(shown).toEqual(rows);
    if (costs === "same") expect(delta).toBe(0);
    else expect(delta).toBeGreaterThan(0);
  });

  it("checks the counted copy only: the other is not what the cluster runs", async () => {
    const report = await reviewChange({
      "environments/prod/shop/api.yaml": `${api(3)}---\n${service}---\n${api(3)}`,
    });
    const lines = report.findings
      .filter((finding) => finding.resource?.id === "Deployment/shop/api")
      .map((finding) => finding.location.startLine);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line >= 27)).toBe(true);
  });

  it("says which copy it counts and why, in the markdown and the JSON", async () => {
    const report = await reviewChange({ "environments/prod/shop/00-api.yaml": api(3) });
    expectGolden("review-declared-twice.md", markdownReport(report));
    const json = validReport({ status: 0, stdout: jsonReportText(report), stderr: "" });
    expectGolden("review-declared-twice.json", `${JSON.stringify(json, null, 2)}\n`);
  });

  it("says it in the check run: the scope of its summary, the details of its text", async () => {
    const report = await reviewChange({ "environments/prod/shop/00-api.yaml": api(3) });
    const { output } = completion({ report, fixes: undefined, notices: [] }, false);
    expectGolden("github/review-declared-twice-check.md", `${output.summary}\n\n---\n\n${output.text}`);
  });

  it("lists the copy not counted in an estimate, and totals the object once", async () => {
    await reviewChange({ "environments/prod/shop/00-api.yaml": api(3) });
    const both = await estimate(repo.root);
    repo.remove("environments/prod/shop/00-api.yaml");
    const one = await estimate(repo.root);
    expect(totals(both).monthlyCost).toEqual(totals(one).monthlyCost);
    expectGolden("estimate-declared-twice.md", markdownReport(both));
  });

  it("keeps a copy's figures out of the JSON's breakdowns, which add up to the totals", async () => {
    await reviewChange({ "environments/prod/shop/00-api.yaml": api(3) });
    const json = validReport({ status: 0, stdout: jsonReportText(await estimate(repo.root)), stderr: "" });
    type Side = { monthlyCost: number } | null;
    type Row = { file: string; breakdown: { after: Side }; notCounted?: { breakdown: { after: Side } } };
    const rows = json.resources as Row[];
    const sum = rows.reduce((total, row) => total + (row.breakdown.after?.monthlyCost ?? 0), 0);
    expect(sum).toBeCloseTo(json.summary.monthlyCost.after, 4);
    expect(
      rows.map((row) => [
        row.file,
        row.breakdown.after?.monthlyCost,
        row.notCounted?.breakdown.after?.monthlyCost,
      ]),
    ).toEqual([
      ["environments/prod/shop/00-api.yaml", undefined, 77.6034],
      ["environments/prod/shop/api.yaml", 77.6034, undefined],
    ]);
    expect(json.summary.resources.notCounted).toBe(1);
  });
});

describe("an estimate of a path of an object declared again outside it", () => {
  it("counts the path's copy, whichever the cluster keeps, and says it did not look outside", async () => {
    repo = tempRepo();
    for (const [path, text] of Object.entries(BASE)) repo.write(path, text);
    // Later in path order than shop/api.yaml: the copy a whole estimate counts.
    repo.write("environments/prod/storefront/api.yaml", api(5));
    repo.commit("two copies");
    const whole = await estimate(repo.root);
    const path = await estimate(`${repo.root}/environments/prod/shop`);
    const counted = (report: Report) =>
      report.rows.flatMap((row) =>
        row.after && !row.after.notCounted ? [row.after.resource.source.span.file] : [],
      );
    expect(counted(whole)).toEqual(["environments/prod/storefront/api.yaml"]);
    expect(counted(path)).toEqual(["environments/prod/shop/api.yaml"]);
    expect(totals(path).monthlyCost.after).toBeCloseTo((totals(whole).monthlyCost.after as number) * 0.6, 6);
    expect(path.head.path).toBe("environments/prod/shop");
    expect(markdownReport(path)).toContain(
      "Estimate of `environments/prod/shop` in working tree (what the path declares: copies of its objects outside it are not looked for)",
    );
    expect(whole.head.path).toBeUndefined();
  });
});
