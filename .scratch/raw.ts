import { ec2OfferFile } from "/work/wt/w16-catalogs/test/bench/offer-files.ts";

const types = Array.from({ length: 200 }, (_, i) => `m${i}.large`);
const chunks: Buffer[] = [];
for await (const c of ec2OfferFile({ instanceTypes: types, regions: [] }, 1)) chunks.push(Buffer.from(c));
const { JSONParser } = await import("@streamparser/json");
let t = performance.now();
const p = new JSONParser({ paths: ["$.products.*", "$.terms.OnDemand.*"], keepStack: false });
let n = 0;
p.onValue = () => {
  n++;
};
for (const c of chunks) p.write(c);
console.log("streamparser", ((performance.now() - t) / 1000).toFixed(2), n);
t = performance.now();
JSON.parse(Buffer.concat(chunks).toString());
console.log("JSON.parse", ((performance.now() - t) / 1000).toFixed(2));
