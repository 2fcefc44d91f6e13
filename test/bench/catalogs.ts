import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { cliArgs } from "./cli.ts";

/**
 * Issue #16: `greenops catalogs refresh --cloud aws --services ec2,rds` against generated offer
 * files for every commercial region (test/bench/offer-server.ts, in its own process), as a user
 * runs it: streamed bytes, wall time, the refresh's peak RSS and the catalog's size on disk.
 */
export type CatalogFigures = {
  gigabytes: number;
  seconds: number;
  rssMb: number;
  catalogMb: number;
  regions: number;
};

export async function catalogBench(): Promise<CatalogFigures> {
  const server = spawn(process.execPath, [new URL("offer-server.ts", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const [url] = (await once(createInterface({ input: server.stdout }), "line")) as [string];
    const dir = mkdtempSync(join(tmpdir(), "greenops-bench-catalogs-"));
    const env = { ...process.env, GREENOPS_CATALOG_DIR: dir, GREENOPS_AWS_PRICING_URL: url };
    const started = performance.now();
    const run = await promisify(execFile)(
      process.execPath,
      cliArgs(["catalogs", "refresh", "--cloud", "aws", "--services", "ec2,rds", "--stats", "--quiet"]),
      { env, maxBuffer: 1 << 20 },
    );
    const seconds = (performance.now() - started) / 1000;
    const rss = /peak RSS (\d+) MB/.exec(run.stderr);
    const regions = /aws-ec2-prices \(\d+ rows, (\d+) regions/.exec(run.stdout);
    const served = Number(await (await fetch(`${url}/served`)).text());
    const folder = join(dir, "aws", readdirSync(join(dir, "aws"))[0] as string);
    const bytes = readdirSync(folder).reduce((sum, file) => sum + statSync(join(folder, file)).size, 0);
    rmSync(dir, { recursive: true, force: true });
    return {
      gigabytes: served / 1e9,
      seconds,
      rssMb: Number(rss?.[1]),
      catalogMb: bytes / 1e6,
      regions: Number(regions?.[1]),
    };
  } finally {
    server.kill();
  }
}
