import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { type RefreshOutcome, type RefreshRequest, refreshCatalogs } from "./refresh-catalogs.ts";

/**
 * Runs a refresh in a worker thread with a bounded heap. Streaming keeps the live data small
 * (one product or one SKU's terms at a time), but V8 sizes its heap by allocation rate, and parsing
 * gigabytes allocates fast: unbounded, a refresh of every region peaked above 300 MB of RSS for
 * far less live data. A young generation of 8 MB and an old one of 128 MB keep it well below
 * (measured in `npm run bench`).
 */
const LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };

type Message = { log: string } | { result: RefreshOutcome[] | { locked: string } };

export function refreshInWorker(
  request: Omit<RefreshRequest, "log">,
  log: (line: string) => void,
): Promise<RefreshOutcome[] | { locked: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { greenopsRefresh: request },
      resourceLimits: LIMITS,
      env: request.env ?? process.env,
    });
    let settled = false;
    worker.on("message", (message: Message) => {
      if ("log" in message) log(message.log);
      else {
        settled = true;
        resolve(message.result);
      }
    });
    worker.on("error", (error) => {
      settled = true;
      const limited = (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY";
      reject(
        limited
          ? new Error(`the refresh needed more than its ${LIMITS.maxOldGenerationSizeMb} MB heap`)
          : error,
      );
    });
    worker.on("exit", (code) => {
      if (!settled) reject(new Error(`the refresh stopped (exit code ${code})`));
    });
  });
}

if (!isMainThread && workerData?.greenopsRefresh) {
  const request = workerData.greenopsRefresh as Omit<RefreshRequest, "log">;
  const result = await refreshCatalogs({ ...request, log: (line) => parentPort?.postMessage({ log: line }) });
  parentPort?.postMessage({ result });
}
