/** GitHub's answer to a request, as Octokit raises it. */
type RequestError = Error & {
  status?: number;
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
  errors?: { message?: string; type?: string }[];
};

/** A GitHub refusal GreenOps reports in the check run's summary rather than failing silently. */
export class GitHubRefusal extends Error {
  readonly status: number;
  constructor(what: string, status: number, explanation: string) {
    super(`${what}: ${explanation}`);
    this.status = status;
  }
}

/**
 * Explains a 403 or 422 from GitHub for the person reading the check (what happened, what to do);
 * returns undefined for other errors, which are GitHub's or ours and are thrown on.
 */
export function explainRefusal(what: string, error: unknown): GitHubRefusal | undefined {
  const e = error as RequestError;
  if (e.status !== 403 && e.status !== 422) return undefined;
  const data = e.response?.data as { message?: string; errors?: unknown[] } | undefined;
  const message = data?.message ?? e.message;
  const details = (data?.errors ?? [])
    .map((item) => (typeof item === "string" ? item : ((item as { message?: string }).message ?? "")))
    .filter(Boolean);
  const said = [message, ...details].join("; ");
  if (e.status === 403 && /secondary rate limit/i.test(message)) {
    return new GitHubRefusal(
      what,
      403,
      `GitHub's secondary rate limit (${said}); GreenOps retried as GitHub asked and stopped. Run \`/greenops recheck\` later.`,
    );
  }
  if (e.status === 403) {
    return new GitHubRefusal(
      what,
      403,
      `GitHub refused (403: ${said}). The GreenOps installation may lack a permission (accept the new permissions in the installation settings) or branch protection forbids it.`,
    );
  }
  return new GitHubRefusal(what, 422, `GitHub rejected the request as invalid (422: ${said}).`);
}
