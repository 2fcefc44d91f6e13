import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAwsOffers } from "../estimate/aws-offers.ts";
import { type PriceListServer, servePriceLists } from "../estimate/price-list-server.ts";
import { costLines, PROJECT } from "../helpers/cli.ts";
import { planJson } from "../helpers/plan.ts";

const run = promisify(execFile);
const BIN = join(PROJECT, "bin/greenops.js");
let server: PriceListServer;

beforeAll(async () => {
  const files = new Map<string, string>();
  addAwsOffers(files);
  server = await servePriceLists(files);
});
afterAll(() => server.close());

/** The CLI in a child process that reaches the local server (execFile: the server keeps answering). */
async function greenops(env: Record<string, string>, cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("greenops catalogs refresh", () => {
  it("refreshes AWS, and the next estimate outside us-east-1 names the refreshed catalog", async () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-cli-catalogs-"));
    const env = { GREENOPS_CATALOG_DIR: dir, GREENOPS_AWS_PRICING_URL: server.url };
    const refreshed = await greenops(
      env,
      dir,
      "catalogs",
      "refresh",
      "--cloud",
      "aws",
      "--services",
      "ec2",
      "--quiet",
    );
    expect(refreshed.stderr).toBe("");
    expect(refreshed.status).toBe(0);
    expect(refreshed.stdout).toMatch(/aws-ec2-prices \(2 rows, 2 regions, as of 2026-11-01\)/);

    const project = mkdtempSync(join(tmpdir(), "greenops-cli-plan-"));
    const plan = planJson(
      [{ address: "aws_instance.web", after: { instance_type: "m5.large" } }],
      "eu-west-1",
    );
    writeFileSync(join(project, "plan.json"), plan);
    const json = await greenops(env, project, "estimate", "plan.json", "--format", "json", "--quiet");
    const report = JSON.parse(json.stdout);
    const line = costLines(report, report.resources[0].breakdown.after).find((c: { component: string }) =>
      c.component.includes("m5.large"),
    );
    expect(line).toMatchObject({
      unitPrice: 0.107,
      sources: [expect.stringMatching(/^aws-ec2-prices@\d{8}T\d{6}Z$/)],
    });
    expect(report.sources.find((s: { id: string }) => s.id === line?.sources[0])).toMatchObject({
      catalog: "refreshed",
      url: `${server.url}/offers/v1.0/aws/`,
      asOf: "2026-11-01",
    });
    const markdown = await greenops(env, project, "estimate", "plan.json", "--quiet");
    expect(markdown.stdout).toMatch(
      new RegExp(
        `\\| refreshed \\d{4}-\\d{2}-\\d{2} from ${server.url}/offers/v1.0/aws/: AWS Price List bulk API`,
      ),
    );
  });

  it("fails with the reason, exit 1, when the price list cannot be read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-cli-catalogs-"));
    const env = { GREENOPS_CATALOG_DIR: dir, GREENOPS_AZURE_PRICING_URL: `${server.url}/nowhere` };
    const failed = await greenops(env, dir, "catalogs", "refresh", "--cloud", "azure");
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/azure not refreshed, the last good catalog stays in use: .*HTTP 404/);
  });

  it("fails with the reason, exit 1, when the catalog folder cannot be written", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "greenops-cli-catalogs-")), "a-file");
    writeFileSync(file, "");
    const failed = await greenops(
      { GREENOPS_CATALOG_DIR: file },
      tmpdir(),
      "catalogs",
      "refresh",
      "--cloud",
      "aws",
    );
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/not refreshed, the last good catalogs stay in use: .*a-file/);
  });

  it.each([
    [["catalogs"], /greenops catalogs takes "refresh"/],
    [["catalogs", "refresh", "--cloud", "oracle"], /--cloud takes aws, gcp, azure, not oracle/],
    [["catalogs", "refresh", "--services", "s3"], /unknown service s3/],
    [["catalogs", "refresh", "--base", "main"], /greenops catalogs has no --base option/],
  ])("rejects %j", async (args, message) => {
    const failed = await greenops({ GREENOPS_CATALOG_DIR: tmpdir() }, tmpdir(), ...args);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(message);
  });
});
