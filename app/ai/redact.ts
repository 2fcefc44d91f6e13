import { type YamlDocument, YamlFile, type YamlPath } from "../iac/yaml/yaml-file.ts";

export const REDACTED = "[redacted]";

/**
 * Values that look like credentials wherever they are: private keys, cloud and SaaS keys, tokens,
 * passwords in URLs, and `password: …`-style assignments. The first group of a pattern, when it has
 * one, is kept (the key's name, the URL's user).
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
  /(\b(?:AccountKey|SharedAccessKey|sig|password|pwd)=)[^\s;&"']{4,}/gi,
  /(\b[\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)["']?[ \t]*[:=][ \t]*)(?!\[redacted\])(["']?)[^\s"',}{]{4,}\2/gi,
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

/** Keys whose scalar values are secrets whatever they look like. */
const SECRET_KEY = /password|passwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential/i;
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * A YAML manifest as it may be sent: Secret data, container `env` values, secret-named keys, the
 * last-applied annotation, the repository's `ai.redact` paths and credential-looking values become
 * [redacted], each line where it was. Undefined when the file cannot be parsed (then nothing is sent).
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
    const value = document.value;
    const kind = (value as { kind?: unknown } | null)?.kind;
    const secret = typeof kind === "string" && /Secret$/.test(kind);
    visit(document, value, [], (path, node) => secretPath(path, node, secret, patterns), ranges);
  }
  return redactCredentials(replaceRanges(text, ranges));
}

function secretPath(path: YamlPath, node: unknown, secret: boolean, patterns: string[][]): boolean {
  const last = path.at(-1);
  if (secret && path.length === 2 && ["data", "stringData", "encryptedData"].includes(String(path[0])))
    return true;
  if (last === "value" && typeof path.at(-2) === "number" && path.at(-3) === "env") return true;
  if (last === LAST_APPLIED) return true;
  if (typeof last === "string" && SECRET_KEY.test(last) && (node === null || typeof node !== "object"))
    return true;
  return patterns.some(
    (pattern) =>
      pattern.length === path.length &&
      pattern.every((segment, i) => segment === "*" || segment === String(path[i])),
  );
}

function visit(
  document: YamlDocument,
  node: unknown,
  path: YamlPath,
  matches: (path: YamlPath, node: unknown) => boolean,
  ranges: [number, number][],
): void {
  if (path.length > 0 && matches(path, node)) {
    const located = document.locate(path);
    if (located) ranges.push([located.value.startOffset, located.value.endOffset]);
    return;
  }
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) visit(document, item, [...path, i], matches, ranges);
  } else if (node && typeof node === "object") {
    for (const [key, item] of Object.entries(node)) visit(document, item, [...path, key], matches, ranges);
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
