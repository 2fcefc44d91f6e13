import { channel } from "node:diagnostics_channel";

/**
 * One request GreenOps made to a service it depends on (GitHub, Prometheus, OpenCost, a grid-intensity
 * API, ArgoCD, an AI endpoint), as its client reports it. The App's metrics count them; the CLI has no
 * listener, and then reporting costs nothing.
 */
export type OutboundRequest = {
  service: string;
  /** "error": no answer, or an answer the client treats as a failure (5xx, 4xx, a timeout). */
  outcome: "ok" | "error";
  seconds: number;
  method?: string;
  status?: number;
  /** GitHub's `x-ratelimit-*` headers, when the answer had them. */
  rateLimit?: { remaining: number; resource: string; installation: string };
};

const requests = channel("greenops.outbound");

/** Every client of an outside service calls this once per request (each retry included). */
export function reportOutbound(request: OutboundRequest): void {
  if (requests.hasSubscribers) requests.publish(request);
}

/** Listens to every request reported in this process; returns how to stop listening. */
export function onOutbound(listener: (request: OutboundRequest) => void): () => void {
  const subscriber = (message: unknown) => listener(message as OutboundRequest);
  requests.subscribe(subscriber);
  return () => requests.unsubscribe(subscriber);
}

/** Times `request` and reports it under `service`; `failed` says which answers count as errors. */
export async function timed<T>(
  service: string,
  request: () => Promise<T>,
  failed: (answer: T) => boolean = () => false,
): Promise<T> {
  const started = performance.now();
  let outcome: OutboundRequest["outcome"] = "error";
  try {
    const answer = await request();
    outcome = failed(answer) ? "error" : "ok";
    return answer;
  } finally {
    reportOutbound({ service, outcome, seconds: (performance.now() - started) / 1000 });
  }
}
