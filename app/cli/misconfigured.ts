import { MISCONFIGURED } from "../engine/configuration.ts";

/** Why a command wrote nothing while the configuration has errors, then each error where it is. */
export function misconfiguredText(what: string, errors: readonly string[]): string {
  return `${[`${what}: ${MISCONFIGURED}`, ...errors.map((error) => `  ${error}`)].join("\n")}\n`;
}
