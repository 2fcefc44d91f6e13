import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reloadCatalogs } from "../../app/estimate/catalog/catalog-store.ts";
import { instancePrice } from "../../app/estimate/catalog/prices.ts";
import { type RefreshLog, scheduleCatalogRefresh } from "../../app/estimate/refresh/schedule.ts";
import { addAwsOffers } from "./aws-offers.ts";
import { writeOnePriceCatalog } from "./one-price-catalog.ts";
import { type PriceListServer, servePriceLists } from "./price-list-server.ts";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  reloadCatalogs();
});

function recorder() {
  const lines: { level: string; message: string; details: object }[] = [];
  const at = (level: string) => (details: object, message: string) => lines.push({ level, message, details });
  const log: RefreshLog = { info: at("info"), warn: at("warn"), error: at("error") };
  return { lines, log };
}

describe("the App's catalog refresh", () => {
  it("is off unless GREENOPS_CATALOG_REFRESH is set, and says so when it is not a duration", () => {
    const { lines, log } = recorder();
    expect(scheduleCatalogRefresh({ every: undefined, busy: () => false, log })).toBeUndefined();
    expect(scheduleCatalogRefresh({ every: "daily", busy: () => false, log })).toBeUndefined();
    expect(lines).toMatchObject([{ level: "error", message: expect.stringMatching(/not a duration/) }]);
  });

  it("waits for the running review to end before it refreshes and before the new catalog is used", async () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-schedule-"));
    process.env.GREENOPS_CATALOG_DIR = dir;
    let busy = true;
    const events: string[] = [];
    const { log } = recorder();
    const schedule = scheduleCatalogRefresh({
      every: "24h",
      busy: () => busy,
      log,
      idlePollMs: 5,
      run: async () => {
        events.push("refresh");
        writeOnePriceCatalog(dir, "2026-12-01T10:00:00Z", 0.107);
        busy = true; // a review starts while the refresh runs
        setTimeout(() => {
          events.push("review done");
          busy = false;
        }, 30);
        return { status: 0, output: "" };
      },
    });
    setTimeout(() => {
      events.push("first review done");
      busy = false;
    }, 30);
    expect(instancePrice("aws", "eu-west-1", "m5.large")).toMatchObject({ missing: "region" });
    await schedule?.tick();
    schedule?.stop();
    expect(events).toEqual(["first review done", "refresh", "review done"]);
    expect(instancePrice("aws", "eu-west-1", "m5.large")).toMatchObject({ usdPerHour: 0.107 });
  });

  it("logs a failed refresh and a crash, and keeps the last good catalog", async () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-schedule-"));
    process.env.GREENOPS_CATALOG_DIR = dir;
    writeOnePriceCatalog(dir, "2026-12-01T10:00:00Z", 0.107);
    const { lines, log } = recorder();
    const failing = scheduleCatalogRefresh({
      every: "1h",
      busy: () => false,
      log,
      run: async () => ({ status: 1, output: "aws not refreshed: HTTP 503" }),
    });
    await failing?.tick();
    failing?.stop();
    const crashing = scheduleCatalogRefresh({
      every: "1h",
      busy: () => false,
      log,
      run: () => Promise.reject(new Error("spawn ENOENT")),
    });
    await crashing?.tick();
    crashing?.stop();
    expect(lines.map((l) => l.level)).toEqual(["warn", "error"]);
    expect(instancePrice("aws", "eu-west-1", "m5.large")).toMatchObject({ usdPerHour: 0.107 });
  });
});

describe("the App's catalog refresh, in a child process", () => {
  let server: PriceListServer;
  beforeAll(async () => {
    const files = new Map<string, string>();
    addAwsOffers(files);
    server = await servePriceLists(files);
  });
  afterAll(() => server.close());

  it("runs greenops catalogs refresh and takes up what it wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), "greenops-schedule-"));
    Object.assign(process.env, {
      GREENOPS_CATALOG_DIR: dir,
      GREENOPS_AWS_PRICING_URL: server.url,
      GREENOPS_AZURE_PRICING_URL: server.url,
      GREENOPS_GCP_PRICING_URL: `${server.url}/pricing.yml`,
    });
    const { lines, log } = recorder();
    const schedule = scheduleCatalogRefresh({ every: "24h", busy: () => false, log });
    await schedule?.tick();
    schedule?.stop();
    // AWS is served; Azure and GCP answer 404: those keep their last good (bundled) catalog.
    expect(lines).toMatchObject([
      { level: "warn", details: { status: 1, output: expect.stringMatching(/azure not refreshed/) } },
    ]);
    expect(instancePrice("aws", "eu-west-1", "m5.large")).toMatchObject({ usdPerHour: 0.107 });
  });
});
