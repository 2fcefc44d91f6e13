import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type OfferMember, OfferScanner } from "../../app/estimate/refresh/offer-scanner.ts";
import { offerFile, type Sku } from "./price-list-server.ts";

/** Products whose strings hold what a tokenizer can trip on: escaped quotes, backslashes, brackets, non-ASCII. */
const SKUS: Sku[] = [
  {
    sku: "AAA1",
    productFamily: "Compute Instance",
    attributes: { note: 'a "quoted" {brace} [bracket]' },
    usd: "0.1",
  },
  {
    sku: "BBB2",
    productFamily: "Storage",
    attributes: { path: "C:\\\\new\\\\", city: "São Paulo ⚡" },
    usd: "0.2",
  },
  { sku: "CCC3", productFamily: "Fee", attributes: { trailing: "ends with a backslash \\\\" } },
];
const DOCUMENT = new TextEncoder().encode(offerFile("AmazonEC2", SKUS));

/** What the scanner must hand over, computed with JSON.parse of the whole document. */
function expected(): OfferMember[] {
  const whole = JSON.parse(new TextDecoder().decode(DOCUMENT));
  const meta = ["formatVersion", "offerCode", "version", "publicationDate"].map((key) => ({
    section: "meta",
    key,
    value: whole[key],
  }));
  const products = Object.entries(whole.products).map(([key, value]) => ({
    section: "products",
    key,
    value,
  }));
  const onDemand = Object.entries(whole.terms.OnDemand).map(([key, value]) => ({
    section: "onDemand",
    key,
    value,
  }));
  return [...meta, ...products, ...onDemand] as unknown as OfferMember[];
}

function scan(cuts: number[]): { section: string; key: string; value: unknown }[] {
  const members: { section: string; key: string; value: unknown }[] = [];
  const scanner = new OfferScanner(({ section, key, json }) =>
    members.push({ section, key, value: JSON.parse(json) }),
  );
  let from = 0;
  for (const cut of [...cuts.sort((a, b) => a - b), DOCUMENT.length]) {
    scanner.write(DOCUMENT.subarray(from, cut));
    from = cut;
  }
  scanner.end();
  return members;
}

describe("the offer-file scanner", () => {
  it("hands over the metadata, every product and every on-demand term, skipping Reserved terms", () => {
    expect(scan([])).toEqual(expected());
  });

  it("gives the same members however the bytes are split into chunks", () => {
    const cut = fc.integer({ min: 0, max: DOCUMENT.length });
    fc.assert(
      fc.property(fc.array(cut, { maxLength: 40 }), (cuts) => {
        expect(scan(cuts)).toEqual(expected());
      }),
    );
    for (let at = 0; at <= DOCUMENT.length; at++) expect(scan([at])).toEqual(expected());
  });

  it("refuses a document cut short, wherever it is cut", () => {
    for (let length = 0; length < DOCUMENT.length; length += 7) {
      const scanner = new OfferScanner(() => {});
      expect(() => {
        scanner.write(DOCUMENT.subarray(0, length));
        scanner.end();
      }).toThrow();
    }
  });

  it.each([
    ['{"products": {"A": {"sku": "A"]}}', /unexpected "\]"/],
    ['{"formatVersion": "v1.0"} {', /text after the end/],
    ['{"formatVersion": "v1.0"}}', /text after the end/],
    ['{{"a": 1}}', /a member without a key/],
  ])("refuses %s", (text, message) => {
    const scanner = new OfferScanner(() => {});
    expect(() => {
      scanner.write(new TextEncoder().encode(text));
      scanner.end();
    }).toThrow(message);
  });
});
