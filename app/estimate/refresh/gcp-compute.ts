/**
 * Re-derives gcp-compute-prices.csv from Cyclenerd/google-cloud-pricing-cost-calculator's
 * `pricing.yml` (Apache-2.0; generated weekly from the Cloud Billing Catalog API):
 *
 *   node app/estimate/refresh/gcp-compute.ts <checkout or bare clone> [revision]
 *
 * One row per machine type: vCPUs, memory, and the on-demand hourly price per region (the `hour`
 * figure: list price before sustained-use discounts, Linux, no licence).
 */
import { load } from "js-yaml";
import { gcpTable, type PricingYml } from "./gcp-pricing.ts";
import { type Cell, commitOf, readRepoFile, toCsv, writeData } from "./repo-files.ts";

/** gcp-compute-prices.csv's header and rows, from the same table a refresh writes. */
export function gcpRows(pricing: PricingYml): { header: string[]; rows: Cell[][] } {
  const table = gcpTable(pricing);
  return {
    header: [
      "machine_type",
      "vcpu",
      "memory_gib",
      ...table.regions.map((r) => `on_demand_linux_usd_per_hour_${r}`),
    ],
    rows: table.rows.map((row) => row.map((cell) => cell ?? undefined)),
  };
}

if (import.meta.main) {
  const [repo, revision = "HEAD"] = process.argv.slice(2);
  if (!repo) throw new Error("usage: gcp-compute.ts <checkout or bare clone> [revision]");
  const pricing = load(readRepoFile(repo, "pricing.yml", revision)) as PricingYml;
  const { header, rows } = gcpRows(pricing);
  writeData("gcp-compute-prices.csv", toCsv(header, rows));
  process.stderr.write(
    `from Cyclenerd/google-cloud-pricing-cost-calculator@${commitOf(repo, revision)}, generated ${pricing.about?.generated}\n`,
  );
}
