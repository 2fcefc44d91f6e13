import { CLOUDS, type Cloud } from "../config/environment-settings.ts";
import { catalogDir } from "../estimate/catalog/catalog-files.ts";
import { RefreshError } from "../estimate/refresh/price-lists.ts";
import { awsServices } from "../estimate/refresh/refresh-catalogs.ts";
import { refreshInWorker } from "../estimate/refresh/refresh-worker.ts";
import { peakRssMb } from "./peak-rss.ts";

export type CatalogsOptions = {
  cloud?: string;
  services?: string;
  regions?: string;
  quiet: boolean;
  stats: boolean;
};

/**
 * `greenops catalogs refresh [--cloud aws|azure|gcp] [--services ...] [--regions ...]`: exit 0 when
 * every cloud asked for was refreshed, 1 when one failed or another refresh holds the lock (the
 * last good catalog stays in use), 2 on a usage error.
 */
export async function catalogs(action: string | undefined, options: CatalogsOptions): Promise<number> {
  if (action !== "refresh")
    throw new RefreshError(`greenops catalogs takes "refresh", not ${JSON.stringify(action ?? "")}`);
  const clouds = (options.cloud?.split(",") ?? [...CLOUDS]) as Cloud[];
  const wrong = clouds.filter((c) => !CLOUDS.includes(c));
  if (wrong.length > 0) throw new RefreshError(`--cloud takes ${CLOUDS.join(", ")}, not ${wrong.join(", ")}`);
  const list = (value: string | undefined) =>
    value
      ?.split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  const started = performance.now();
  const dir = catalogDir();
  const services = list(options.services);
  awsServices(services);
  let outcome: Awaited<ReturnType<typeof refreshInWorker>>;
  try {
    outcome = await refreshInWorker({ clouds, services, regions: list(options.regions), dir }, (line) => {
      if (!options.quiet) process.stderr.write(`greenops: ${line}\n`);
    });
  } catch (error) {
    process.stderr.write(
      `greenops: not refreshed, the last good catalogs stay in use: ${(error as Error).message}\n`,
    );
    return 1;
  }
  if ("locked" in outcome) {
    process.stderr.write(
      `greenops: not refreshed: another refresh of ${dir} is running (${outcome.locked})\n`,
    );
    return 1;
  }
  for (const result of outcome) {
    if ("error" in result) {
      process.stderr.write(
        `greenops: ${result.cloud} not refreshed, the last good catalog stays in use: ${result.error}\n`,
      );
      continue;
    }
    const tables = result.tables.map(
      (t) => `${t.id} (${t.rows} rows, ${t.regions} regions, as of ${t.asOf})`,
    );
    process.stdout.write(`${result.cloud}: ${result.folder}\n  ${tables.join("\n  ")}\n`);
  }
  if (options.stats) {
    const rss = peakRssMb();
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`greenops: refreshed in ${seconds.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB\n`);
  }
  return outcome.some((r) => "error" in r) ? 1 : 0;
}
