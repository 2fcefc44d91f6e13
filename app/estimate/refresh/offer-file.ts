import { OfferScanner } from "./offer-scanner.ts";

/**
 * Reads one AWS Price List offer file (JSON, FormatVersion v1.0) as it streams in, keeping only
 * what a caller asks for. The shape is AWS's "Reading the service price list file for an AWS
 * service" (Billing user guide): `formatVersion`, `offerCode`, `version`, `publicationDate`, then
 * `products` keyed by SKU ({sku, productFamily, attributes}) and `terms` by term type, SKU and
 * offer-term code ({offerTermCode, sku, effectiveDate, priceDimensions: {rateCode: {unit,
 * beginRange, endRange, pricePerUnit: {USD}}}}). EC2's file is hundreds of MB per region, so
 * nothing is held but the kept products: the scanner hands over one product or one SKU's on-demand
 * terms at a time, and skips the Reserved terms.
 */
export type OfferProduct = { sku: string; productFamily?: string; attributes: Record<string, string> };

export type OfferMeta = { offerCode: string; version: string; publicationDate: string };

export type OfferPrice<T> = { kept: T; usdPerUnit: number; unit: string };

export class OfferFileError extends Error {}

type Dimension = { unit?: unknown; beginRange?: unknown; pricePerUnit?: { USD?: unknown } };

/**
 * Streams an offer file: `keep` decides per product what (if anything) to remember; each kept
 * product's on-demand price is handed to `onPrice`. Throws an OfferFileError naming `where` when
 * the file is truncated, not JSON, or not of the documented shape.
 */
export async function readOfferFile<T>(
  chunks: AsyncIterable<Uint8Array | string>,
  where: string,
  keep: (product: OfferProduct) => T | undefined,
  onPrice: (price: OfferPrice<T>) => void,
): Promise<OfferMeta> {
  const meta: Record<string, unknown> = {};
  const kept = new Map<string, T>();
  let products = 0;
  const scanner = new OfferScanner(({ section, key, json }) => {
    const value = parsed(json, section === "meta" ? key : `${section}.${key}`, where);
    if (section === "meta") meta[key] = value;
    else if (section === "products") {
      products++;
      const product = checkedProduct(value, key, where);
      const remembered = keep(product);
      if (remembered !== undefined) kept.set(product.sku, remembered);
    } else {
      const remembered = kept.get(key);
      if (remembered === undefined) return;
      kept.delete(key);
      const price = onDemandPrice(value, key, where);
      if (price) onPrice({ kept: remembered, ...price });
    }
  });
  try {
    for await (const chunk of chunks)
      scanner.write(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    scanner.end();
  } catch (error) {
    if (error instanceof OfferFileError) throw error;
    throw new OfferFileError(`${where}: not a whole JSON document (${(error as Error).message})`);
  }
  return checkedMeta(meta, products, where);
}

const encoder = new TextEncoder();

function parsed(json: string, path: string, where: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new OfferFileError(`${where}: ${path} is not JSON (${(error as Error).message})`);
  }
}

function checkedMeta(meta: Record<string, unknown>, products: number, where: string): OfferMeta {
  if (meta.formatVersion !== "v1.0")
    throw new OfferFileError(`${where}: formatVersion is ${JSON.stringify(meta.formatVersion)}, not "v1.0"`);
  for (const field of ["offerCode", "version", "publicationDate"]) {
    if (typeof meta[field] !== "string" || meta[field] === "")
      throw new OfferFileError(`${where}: ${field} is missing`);
  }
  if (Number.isNaN(Date.parse(String(meta.publicationDate))))
    throw new OfferFileError(
      `${where}: publicationDate ${JSON.stringify(meta.publicationDate)} is not a date`,
    );
  if (products === 0) throw new OfferFileError(`${where}: the file lists no products`);
  return meta as OfferMeta;
}

function checkedProduct(value: unknown, key: string, where: string): OfferProduct {
  const product = value as Partial<OfferProduct> | null;
  if (typeof product !== "object" || product === null || product.sku !== key)
    throw new OfferFileError(`${where}: products.${key} has no sku "${key}"`);
  if (typeof product.attributes !== "object" || product.attributes === null)
    throw new OfferFileError(`${where}: products.${key} has no attributes`);
  return product as OfferProduct;
}

/** A SKU's on-demand price: the first-tier dimension (beginRange 0) of its one on-demand term. */
function onDemandPrice(
  value: unknown,
  sku: string,
  where: string,
): { usdPerUnit: number; unit: string } | undefined {
  const terms = Object.values((value ?? {}) as Record<string, { sku?: unknown; priceDimensions?: unknown }>);
  const term = terms[0];
  if (!term || term.sku !== sku || typeof term.priceDimensions !== "object" || term.priceDimensions === null)
    throw new OfferFileError(`${where}: terms.OnDemand.${sku} has no term with priceDimensions`);
  if (terms.length > 1) throw new OfferFileError(`${where}: terms.OnDemand.${sku} has ${terms.length} terms`);
  const dimensions = Object.values(term.priceDimensions as Record<string, Dimension>);
  const first = dimensions.find((d) => d.beginRange === undefined || Number(d.beginRange) === 0);
  const usd = first?.pricePerUnit?.USD;
  if (typeof usd !== "string" || !/^\d+(\.\d+)?$/.test(usd))
    throw new OfferFileError(`${where}: terms.OnDemand.${sku} has no USD price (${JSON.stringify(usd)})`);
  const usdPerUnit = Number(usd);
  // A published 0.0000000000 is not a price GreenOps may use (unused capacity, free items): unknown.
  return usdPerUnit > 0 ? { usdPerUnit, unit: String(first?.unit ?? "") } : undefined;
}
