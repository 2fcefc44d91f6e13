import { REDACTED, withoutSecrets } from "../config/operator-secrets.ts";
import { type YamlDocument, YamlFile, type YamlPath } from "../iac/yaml/yaml-file.ts";

export { REDACTED };

/**
 * Values that look like credentials wherever they are: private keys, cloud and SaaS keys, tokens,
 * passwords and user names in URLs (a DSN's key is its user), Slack webhooks, and `password: …`-style
 * assignments. The first group of a pattern, when it has one, is kept (the key's name, the URL's user
 * when a password follows it).
 */
const CREDENTIALS: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
  /\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /(\b(?:Bearer|Basic|token)[ \t]+)[A-Za-z0-9._~+/=-]{12,}/gi,
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"']+:)[^\s@/"']+(?=@)/gi,
  /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s:@/"'[\]]+(?=@)/gi,
  /(\bhttps:\/\/hooks\.slack\.com\/)[\w/-]+/g,
  /(\b(?:AccountKey|SharedAccessKey|sig|password|pwd)=)[^\s;&"']{4,}/gi,
  /(\b[\w.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)["']?[ \t]*[:=][ \t]*)(?!\[redacted\])(["']?)[^\s"',}{]{4,}\2/gi,
];

/** Text with every credential-looking value replaced by [redacted]; line breaks are kept, so lines stay numbered. */
export function redactCredentials(text: string): string {
  let result = text;
  for (const pattern of CREDENTIALS) {
    result = result.replace(pattern, (match: string, kept?: unknown) => {
      const prefix = typeof kept === "string" ? kept : "";
      return `${prefix}${blank(match.slice(prefix.length))}`;
    });
  }
  return result;
}

/** Text without any of the operator's secrets (known by value), then without credential-looking values. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return redactCredentials(withoutSecrets(text, secrets));
}

/** Keys whose scalar values are secrets whatever they look like (Pulumi's `secure:` included). */
const SECRET_KEY =
  /password|passwd|passphrase|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|webhook|(?:pwd|dsn|auth|secure)$/i;
/** A command-line flag whose next argument is a secret: `--db-password`, `--api-token`. */
const SECRET_FLAG = new RegExp(`^--?[\\w.-]*(?:${SECRET_KEY.source})$`, "i");
/** What a Secret (or SealedSecret, or a Secret in a List) shows: everything else is its data. */
const SECRET_SHOWN = new Set(["apiVersion", "kind", "metadata", "type"]);

/**
 * A YAML manifest as it may be sent: every value of a Secret-kind object (wherever it is), container
 * `env` values, annotations, the argument after a secret-named flag, secret-named keys, the
 * repository's `ai.redact` paths and credential-looking values become [redacted], each line where it
 * was. Undefined when the file cannot be parsed (then nothing is sent).
 */
export function redactManifest(file: string, text: string, paths: readonly string[]): string | undefined {
  let yaml: YamlFile;
  try {
    yaml = new YamlFile(file, text);
  } catch {
    return undefined;
  }
  const patterns = paths.map((p) => p.split("."));
  const ranges: [number, number][] = [];
  for (const document of yaml.documents) {
    const redacted = (path: YamlPath, node: unknown, parent: unknown) =>
      secretPath(path, node, parent, patterns);
    visit({ document, redacted, ranges }, document.value, [], undefined, false);
  }
  return redactCredentials(replaceRanges(text, ranges));
}

function secretPath(path: YamlPath, node: unknown, parent: unknown, patterns: string[][]): boolean {
  const last = path.at(-1);
  const scalar = node === null || typeof node !== "object";
  if (last === "value" && typeof path.at(-2) === "number" && path.at(-3) === "env") return true;
  if (path.at(-2) === "annotations" && path.at(-3) === "metadata") return true;
  if (typeof last === "number" && last > 0 && Array.isArray(parent) && scalar) {
    const flag = parent[last - 1];
    if (typeof flag === "string" && SECRET_FLAG.test(flag)) return true;
  }
  if (typeof last === "string" && SECRET_KEY.test(last) && scalar) return true;
  return patterns.some(
    (pattern) =>
      pattern.length === path.length &&
      pattern.every((segment, i) => segment === "*" || segment === String(path[i])),
  );
}

type Visit = {
  document: YamlDocument;
  redacted: (path: YamlPath, node: unknown, parent: unknown) => boolean;
  ranges: [number, number][];
};

/** Collects the ranges to redact; inside a Secret-kind object every scalar is. */
function visit(
  { document, redacted, ranges }: Visit,
  node: unknown,
  path: YamlPath,
  parent: unknown,
  secret: boolean,
): void {
  const scalar = node === null || typeof node !== "object";
  if (path.length > 0 && ((secret && scalar) || redacted(path, node, parent))) {
    const located = document.locate(path);
    if (located) ranges.push([located.value.startOffset, located.value.endOffset]);
    return;
  }
  const into = (key: string | number, item: unknown, inSecret: boolean) =>
    visit({ document, redacted, ranges }, item, [...path, key], node, inSecret);
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) into(i, item, secret);
  } else if (node && typeof node === "object") {
    const kind = (node as { kind?: unknown }).kind;
    const isSecret = typeof kind === "string" && /Secret$/.test(kind);
    for (const [key, item] of Object.entries(node))
      into(key, item, secret || (isSecret && !SECRET_SHOWN.has(key)));
  }
}

function replaceRanges(text: string, ranges: [number, number][]): string {
  const sorted = ranges.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  let result = "";
  let at = 0;
  for (const [start, end] of sorted) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    result += text.slice(at, from) + blank(text.slice(from, end));
    at = end;
  }
  return result + text.slice(at);
}

/** [redacted] in place of a value, followed by the value's line breaks. */
function blank(value: string): string {
  return REDACTED + "\n".repeat(value.split("\n").length - 1);
}
