/** GitHub's refusal of a request; `recorded`: the App sent something GitHub would reject (a test failure). */
export class Refusal extends Error {
  readonly status: number;
  /** Whether this refusal means the App sent something GitHub would reject (a test failure). */
  readonly recorded: boolean;
  constructor(status: number, message: string, recorded = true) {
    super(message);
    this.status = status;
    this.recorded = recorded;
  }
}

export function json(status: number, data: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-github-request-id": "FAKE", ...headers },
  });
}
