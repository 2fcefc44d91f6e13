/**
 * `node test/bench/offer-server.ts`: serves generated AWS offer files (AmazonEC2 and AmazonRDS,
 * every commercial region plus two GovCloud regions in the index) on a free 127.0.0.1 port, printed
 * as the first line; `GET /served` answers the bytes served so far. Runs in its own process so the
 * refresh's peak memory is measured alone.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { COMMERCIAL_REGIONS, offerFile } from "./offer-files.ts";

const csv = readFileSync(new URL("../../app/estimate/data/aws-ec2-prices.csv", import.meta.url), "utf8");
const instanceTypes = csv
  .split("\n")
  .slice(1)
  .filter(Boolean)
  .map((line) => line.split(",")[0] as string);
const rdsClasses = instanceTypes.filter((_, i) => i % 4 === 0).map((type) => `db.${type}`);
const regions = [...COMMERCIAL_REGIONS, "us-gov-east-1", "us-gov-west-1"];
let served = 0;

const server = createServer(async (request, response) => {
  const path = request.url ?? "";
  if (path === "/served") return void response.end(String(served));
  const index = /^\/offers\/v1\.0\/aws\/(AmazonEC2|AmazonRDS)\/current\/region_index\.json$/.exec(path);
  if (index) {
    const entries = regions.map((r) => [
      r,
      { regionCode: r, currentVersionUrl: `/offers/v1.0/aws/${index[1]}/20261101000000/${r}/index.json` },
    ]);
    return void response.end(
      JSON.stringify({
        formatVersion: "v1.0",
        disclaimer: "",
        publicationDate: "2026-11-01T00:00:00Z",
        regions: Object.fromEntries(entries),
      }),
    );
  }
  const file =
    /^\/offers\/v1\.0\/aws\/(AmazonEC2|AmazonRDS)\/20261101000000\/([a-z0-9-]+)\/index\.json$/.exec(path);
  if (!file) return void response.writeHead(404).end();
  const offer = file[1] as "AmazonEC2" | "AmazonRDS";
  response.writeHead(200, { "content-type": "application/json" });
  for await (const chunk of offerFile(
    offer,
    offer === "AmazonEC2" ? instanceTypes : rdsClasses,
    file[2] as string,
  )) {
    served += chunk.length;
    if (!response.write(chunk)) await new Promise((resolve) => response.once("drain", resolve));
  }
  response.end();
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
