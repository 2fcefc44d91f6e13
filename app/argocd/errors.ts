/** What went wrong talking to ArgoCD, by kind; the message says what to do and never holds the token. */
export type ArgoCdErrorKind =
  | "unreachable"
  | "timeout"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "refused"
  | "unsupported"
  | "invalid";

export class ArgoCdError extends Error {
  readonly kind: ArgoCdErrorKind;
  readonly status: number | undefined;

  constructor(kind: ArgoCdErrorKind, message: string, status?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  /** Refusals that asking again will not change: the token, the permissions, the request itself. */
  get final(): boolean {
    return this.kind !== "unreachable" && this.kind !== "timeout";
  }
}

/** ArgoCD's error body (`runtimeError`): `{error, code, message}` with a gRPC code, or plain text. */
export function errorFromResponse(what: string, status: number, body: string): ArgoCdError {
  const message = errorMessage(body);
  if (status === 401)
    return new ArgoCdError(
      "unauthorized",
      `ArgoCD refused GreenOps' token (HTTP 401: ${message}): set ARGOCD_AUTH_TOKEN to a valid API token (an account with the apiKey capability, or a project role's token)`,
      status,
    );
  if (status === 403)
    return new ArgoCdError(
      "forbidden",
      `ArgoCD denied ${what} (HTTP 403: ${message}): the token's account needs that permission in ArgoCD's RBAC (or the Application does not exist)`,
      status,
    );
  if (status === 404) return new ArgoCdError("not-found", `${what}: not found (${message})`, status);
  if (status === 405 || status === 501)
    return new ArgoCdError("unsupported", `${what}: HTTP ${status} (${message})`, status);
  if (status === 502 || status === 503 || status === 504)
    return new ArgoCdError("unreachable", `${what}: HTTP ${status} from ArgoCD or its proxy`, status);
  return new ArgoCdError("refused", `${what}: HTTP ${status} (${message})`, status);
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const text = parsed.message ?? parsed.error;
    if (typeof text === "string" && text) return text;
  } catch {
    // plain text (unknown path, wrong method)
  }
  return body.trim().slice(0, 200) || "no message";
}

export function networkError(what: string, error: unknown, timeoutMs: number): ArgoCdError {
  const failure = error as Error & { cause?: { code?: string; message?: string } };
  if (failure.name === "TimeoutError")
    return new ArgoCdError("timeout", `${what}: no answer from ArgoCD within ${timeoutMs / 1000} s`);
  const cause = failure.cause?.code ?? failure.cause?.message ?? failure.message;
  return new ArgoCdError("unreachable", `${what}: ArgoCD is unreachable (${cause})`);
}
