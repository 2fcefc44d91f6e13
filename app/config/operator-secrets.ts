/** What stands in the place of a secret in anything GreenOps shows or sends. */
export const REDACTED = "[redacted]";

/** Shorter values are left alone: placeholders and everyday words, not secrets worth a word's loss. */
const SHORTEST_SECRET = 8;

/**
 * Text without any of the operator's secrets, known by value: what a server, a gateway or a proxy
 * repeats of a request (an error quoting the token it refused) must reach no report and no log.
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= SHORTEST_SECRET)
    .reduce((result, secret) => result.replaceAll(secret, REDACTED), text);
}
