import { checkOperatorUrl } from "../config/operator-url.ts";

/**
 * Where GreenOps reaches ArgoCD, and with which token: only from the environment of whoever runs
 * GreenOps (the App's process, the CLI's shell), never from a repository file, so a repository cannot
 * make GreenOps send its token elsewhere.
 */
export type ArgoCdServer = { url: string; token: string };

/** The server or token is missing or unsafe: a setup error, said once, never retried. */
export class ArgoCdSetupError extends Error {}

type Env = Record<string, string | undefined>;

/**
 * `ARGOCD_SERVER` (or the command line's `--argocd-server`) and `ARGOCD_AUTH_TOKEN`, as the argocd CLI
 * reads them; undefined when no server is given. A bare `host[:port]` means HTTPS; plain HTTP is
 * accepted only on the loopback interface, so the token never crosses a network in clear.
 */
export function argoCdServer(env: Env, flag?: string): ArgoCdServer | undefined {
  const given = flag ?? env.ARGOCD_SERVER;
  if (given === undefined || given.trim() === "") return undefined;
  const token = env.ARGOCD_AUTH_TOKEN?.trim();
  if (!token) throw new ArgoCdSetupError("ArgoCD's server is set but ARGOCD_AUTH_TOKEN is not");
  return { url: checkedServerUrl(given.trim()), token };
}

export function checkedServerUrl(text: string): string {
  const checked = checkOperatorUrl(text, { plainHttp: "loopback", bareHost: "https" });
  if ("url" in checked) return checked.url;
  switch (checked.problem) {
    case "not-a-url":
      throw new ArgoCdSetupError(`ArgoCD server "${text}" is not a URL`);
    case "credentials":
      throw new ArgoCdSetupError("the ArgoCD server's URL carries credentials: use ARGOCD_AUTH_TOKEN");
    case "plain-http":
      throw new ArgoCdSetupError(
        `ArgoCD server ${checked.origin}: plain HTTP is accepted only on the loopback interface; use https://`,
      );
    case "scheme":
      throw new ArgoCdSetupError(`ArgoCD server ${text}: use an https:// URL`);
  }
}
