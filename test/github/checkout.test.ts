import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkoutPackages } from "../../app/github/checkout.ts";
import { tempRepo } from "../helpers/git-repo.ts";

const repo = tempRepo();
repo.write("infra/index.ts", 'export const size = "t3.micro";\n');
const base = repo.commit("Initial infrastructure");
repo.git("checkout", "-q", "-b", "feature");
repo.write("infra/index.ts", 'export const size = "t3.large";\n');
const head = repo.commit("A larger web server");
repo.git("checkout", "-q", "main");
repo.write("README.md", "# shop\n");
repo.commit("Docs on main meanwhile");
// What actions/checkout fetches for a pull request by default: GitHub's test merge, refs/pull/<n>/merge.
repo.git("merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature");
const merge = repo.git("rev-parse", "HEAD").trim();
const shallow = mkdtempSync(join(tmpdir(), "greenops-shallow-"));
execFileSync("git", ["clone", "-q", "--depth", "1", `file://${repo.root}`, shallow]);
const elsewhere = mkdtempSync(join(tmpdir(), "greenops-not-git-"));

afterAll(() => {
  repo.dispose();
  rmSync(shallow, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe("the workflow's checkout in Action mode", () => {
  it.each([
    ["at the reviewed head", () => repo.git("checkout", "-q", "--detach", head), repo.root],
    ["at GitHub's merge of the head", () => repo.git("checkout", "-q", merge), repo.root],
    ["a shallow clone of that merge (fetch-depth: 1)", () => undefined, shallow],
  ])("lends its node_modules to the programs when it is %s", (_case, checkout, workspace) => {
    checkout();
    return expect(
      checkoutPackages({ GITHUB_WORKSPACE: workspace, AWS_REGION: "eu-west-1" }, head),
    ).resolves.toEqual({
      local: { root: workspace, awsRegion: { region: "eu-west-1", variable: "AWS_REGION" } },
    });
  });

  it.each([
    ["no workspace", {}, /^no checkout \(GITHUB_WORKSPACE is not set\)$/],
    ["a folder that is no git checkout", { GITHUB_WORKSPACE: elsewhere }, /is not a git checkout$/],
    [
      "a checkout of another commit (the base branch, as pull_request_target checks out)",
      { GITHUB_WORKSPACE: repo.root },
      new RegExp(
        `is at ${base.slice(0, 7)}, neither the reviewed head ${head.slice(0, 7)} nor GitHub's merge of it$`,
      ),
    ],
  ])("lends nothing for %s", async (_case, env, reason) => {
    repo.git("checkout", "-q", "--detach", base);
    const found = await checkoutPackages(env, head);
    expect("reason" in found ? found.reason : "").toMatch(reason);
  });
});
