/**
 * A URL that whoever runs GreenOps gives it (an environment variable, a flag, the operator's settings)
 * and that a token will be sent to, checked once for every caller: it must parse, be http or https,
 * and carry no credentials (they would end up in logs and reports). Each caller words the refusal
 * itself, naming its own variable or setting.
 */

/** A URL's `scheme://`. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export type UrlRules = {
  /** Plain http to any host, or only to the loopback interface (a token never crosses a network in clear). */
  plainHttp: "anywhere" | "loopback";
  /**
   * A text without `scheme://` is `host[:port][/path]` reached over https, as the argocd CLI reads it;
   * a colon with no port after it (`h:`, `http:/argocd`) is a mistyped scheme, not a host.
   */
  bareHost?: "https";
};

/** The URL as requests will use it: origin and path, without trailing slashes, query or fragment. */
export type AcceptedUrl = { url: string };

export type HttpUrlRefusal =
  /** `shown` is the text with anything that may be credentials masked: the only form a message may repeat. */
  | { problem: "not-a-url"; shown: string }
  | { problem: "credentials" }
  | { problem: "scheme"; scheme: string };

/** Plain http to a host beyond the loopback interface: only under `plainHttp: "loopback"`. */
export type UrlRefusal = HttpUrlRefusal | { problem: "plain-http"; origin: string };

export function checkOperatorUrl(
  text: string,
  rules: UrlRules & { plainHttp: "anywhere" },
): AcceptedUrl | HttpUrlRefusal;
export function checkOperatorUrl(text: string, rules: UrlRules): AcceptedUrl | UrlRefusal;
export function checkOperatorUrl(text: string, rules: UrlRules): AcceptedUrl | UrlRefusal {
  const bare = rules.bareHost && !SCHEME.test(text);
  const url = bare ? (/^[^/]*:(\/|$)/.test(text) ? null : URL.parse(`https://${text}`)) : URL.parse(text);
  if (url === null) return { problem: "not-a-url", shown: maskedUserinfo(text) };
  // Before the scheme: a refusal that repeats the text must not repeat a password.
  if (url.username || url.password) return { problem: "credentials" };
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { problem: "scheme", scheme: url.protocol };
  if (rules.plainHttp === "loopback" && url.protocol === "http:" && !isLoopback(url.hostname))
    return { problem: "plain-http", origin: url.origin };
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}

/** localhost, 127.0.0.0/8 and ::1, as the URL parser writes them (127.1 and [0::1] included). */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Where the operator's environment sends secrets: the setting that names the URL, the URL as given, and
 * the names of the secrets sent with it that are set (never their values).
 */
export type SecretRoute = { setting: string; url: string; secrets: string[] };

/** Secrets that would cross a network in clear: which, to which origin (no userinfo), and the scheme to use. */
export type SecretInClear = { secrets: string[]; origin: string; setting: string; use: string };

/** Schemes that send in clear, and the one of each that sends over TLS. */
const OVER_TLS: Record<string, string> = { "http:": "https://", "redis:": "rediss://" };

/**
 * The route's secrets when they would travel in clear (plain http, or redis without TLS) to a host
 * beyond the loopback interface; userinfo in the URL counts as a secret. A URL that does not parse is
 * refused where it is used, and sends nothing.
 */
export function secretInClear(route: SecretRoute): SecretInClear | undefined {
  const url = URL.parse(route.url.trim());
  const use = url && OVER_TLS[url.protocol];
  if (!url || !use || isLoopback(url.hostname)) return undefined;
  const userinfo = url.username || url.password ? [`the credentials in ${route.setting}`] : [];
  const secrets = [...route.secrets, ...userinfo];
  if (secrets.length === 0) return undefined;
  return { secrets, origin: `${url.protocol}//${url.host.toLowerCase()}`, setting: route.setting, use };
}

/** Those of the routes that would cross a network in clear, each said once. */
export function secretsInClear(routes: SecretRoute[]): SecretInClear[] {
  return routes.flatMap((route) => secretInClear(route) ?? []);
}

/** The fixed message of the App's warn log, whose fields are a {@link SecretInClear}. */
export const SECRET_IN_CLEAR =
  "a secret would cross the network in clear, to a host that is not loopback: use TLS, or a loopback address (a sidecar or a port-forward)";

/** The warning, in words: which secrets, to which origin, from which setting, and what to do. */
export function secretInClearWarning(found: SecretInClear): string {
  const { secrets, origin, setting, use } = found;
  const names =
    secrets.length === 1 ? secrets.join("") : `${secrets.slice(0, -1).join(", ")} and ${secrets.at(-1)}`;
  const scheme = origin.slice(0, origin.indexOf(":"));
  return `${names} would cross the network in clear: plain ${scheme} to ${origin} (${setting}), which is not a loopback address; use ${use}, or a loopback address (a sidecar or a port-forward)`;
}

/**
 * The text with its userinfo (from `://`, or the start when there is none, to the last `@`) masked:
 * `https://***@argocd.example.com:99999`. A text that does not parse cannot say where its host begins,
 * so an `@` in a path masks too much rather than a password too little.
 */
export function maskedUserinfo(text: string): string {
  const at = text.lastIndexOf("@");
  if (at < 0) return text;
  const scheme = SCHEME.exec(text)?.[0] ?? "";
  return at < scheme.length ? text : `${scheme}***${text.slice(at)}`;
}
