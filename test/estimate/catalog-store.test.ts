import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readManifest, writeCatalog } from "../../app/estimate/catalog/catalog-files.ts";
import { reloadCatalogs, skippedCatalogs } from "../../app/estimate/catalog/catalog-store.ts";
import { instancePrice } from "../../app/estimate/catalog/prices.ts";
import { ec2Manifest, ec2Table, writeOnePriceCatalog } from "./one-price-catalog.ts";

const original = process.env.GREENOPS_CATALOG_DIR;
afterEach(() => {
  process.env.GREENOPS_CATALOG_DIR = original;
  reloadCatalogs();
});

describe("which refreshed catalog answers", () => {
  it("uses the freshest valid one, skipping (and saying so) a newer one that is broken", () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-store-"));
    writeOnePriceCatalog(dir, "2026-12-01T10:00:00Z", 0.107);
    const broken = join(dir, "aws", "20261202T100000Z");
    mkdirSync(broken);
    writeFileSync(join(broken, "manifest.json"), '{"format": "greenops-catalog/1"');
    process.env.GREENOPS_CATALOG_DIR = dir;
    reloadCatalogs();
    expect(instancePrice("aws", "eu-west-1", "m5.large")).toEqual({
      usdPerHour: 0.107,
      source: "aws-ec2-prices@20261201T100000Z",
    });
    expect(skippedCatalogs()).toContainEqual(expect.stringContaining("20261202T100000Z/manifest.json"));
  });

  it("falls back to the bundled table when a refreshed table does not follow the format", () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-store-"));
    const folder = writeOnePriceCatalog(dir, "2026-12-03T10:00:00Z", 0.107);
    writeFileSync(
      join(folder, "aws-ec2-prices.json"),
      JSON.stringify({ ...ec2Table(0.107), rows: [["m5.large", 2]] }),
    );
    process.env.GREENOPS_CATALOG_DIR = dir;
    reloadCatalogs();
    expect(instancePrice("aws", "us-east-1", "m5.large")).toEqual({
      usdPerHour: 0.096,
      source: "aws-ec2-prices",
    });
    expect(skippedCatalogs()).toContainEqual(
      expect.stringMatching(/aws-ec2-prices.json: row 0 has 2 cells, not 6/),
    );
  });

  it("refuses to write a table whose prices are not numbers", () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-store-"));
    expect(() => writeCatalog(dir, ec2Manifest("2026-12-03T10:00:00Z"), [ec2Table("0.107")])).toThrow(
      /not a number ≥ 0/,
    );
  });

  const manifest = ec2Manifest("2026-12-03T10:00:00Z");
  const [table] = manifest.tables;
  it.each([
    [
      "a time that is not UTC",
      { ...manifest, retrievedAt: "2026-12-03 10:00" },
      '/retrievedAt must be a UTC time (2026-12-01T10:00:00Z); got "2026-12-03 10:00"',
    ],
    [
      "a table's date written another way",
      { ...manifest, tables: [{ ...table, asOf: "11/01/2026" }] },
      '/tables/0/asOf must be a date, year-month-day (2026-12-01); got "11/01/2026"',
    ],
    ["no cloud", { ...manifest, cloud: undefined }, "the manifest must have required property 'cloud'"],
    [
      "a cloud it does not know",
      { ...manifest, cloud: "ibm" },
      "/cloud must be equal to one of the allowed values",
    ],
  ])("says what is wrong with a manifest in words: %s", (_, written, problem) => {
    const folder = join(mkdtempSync(join(tmpdir(), "greenops-store-")), "20261203T100000Z");
    mkdirSync(folder);
    writeFileSync(join(folder, "manifest.json"), JSON.stringify(written));
    expect(readManifest(folder)).toEqual({ error: `${folder}/manifest.json: ${problem}` });
  });
});
