import type { Cloud } from "../../config/environment-settings.ts";

/**
 * Where each cloud's public price list is read from (no credentials needed). Each base URL can be
 * replaced, so a mirror (or a test server) can serve the same files.
 */
export const PRICE_LISTS = {
  aws: { env: "GREENOPS_AWS_PRICING_URL", url: "https://pricing.us-east-1.amazonaws.com" },
  azure: { env: "GREENOPS_AZURE_PRICING_URL", url: "https://prices.azure.com" },
  gcp: {
    env: "GREENOPS_GCP_PRICING_URL",
    url: "https://raw.githubusercontent.com/Cyclenerd/google-cloud-pricing-cost-calculator/master/pricing.yml",
  },
} as const satisfies Record<Cloud, { env: string; url: string }>;

export class RefreshError extends Error {}

export function priceListUrl(cloud: Cloud, env: NodeJS.ProcessEnv = process.env): string {
  const { env: name, url } = PRICE_LISTS[cloud];
  const configured = env[name];
  if (!configured) return url;
  if (!URL.canParse(configured) || !/^https?:$/.test(new URL(configured).protocol))
    throw new RefreshError(`${name} must be an http(s) URL, not "${configured}"`);
  return configured.replace(/\/+$/, "");
}

/**
 * GET a URL; a status other than 200 is an error naming the URL. The answer must start within two
 * minutes; the body (gigabytes for EC2) is streamed by the caller for as long as it takes.
 */
export async function download(url: string): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("no answer within 120 s")), 120_000);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal });
  } catch (error) {
    throw new RefreshError(`${url}: ${(error as Error).cause ?? (error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new RefreshError(`${url}: HTTP ${response.status}`);
  }
  return response;
}

/** A JSON document of modest size (an index, one page). */
export async function downloadJson(url: string): Promise<unknown> {
  const response = await download(url);
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RefreshError(`${url}: not JSON (${(error as Error).message})`);
  }
}
