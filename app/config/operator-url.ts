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
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
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
