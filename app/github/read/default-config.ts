import { readRepositoryConfig } from "../../config/read-repository-config.ts";
import { REPOSITORY_CONFIG_FILES, type RepositoryConfig } from "../../config/repository-config.ts";
import type { Diagnostic } from "../../model/span.ts";
import type { SourceFile } from "../../source/snapshot.ts";

/**
 * `.github/greenops.yml` as the repository's default branch holds it now: the settings a pull request
 * cannot change for itself (whether its programs run). `problem` says why the file cannot be used.
 */
export type TrustedConfig = { branch: string; config: RepositoryConfig; problem?: string };

type BlobAnswer = {
  object: { text?: string | null; isTruncated?: boolean; isBinary?: boolean | null } | null;
};
type DefaultBranchAnswer = { name: string; target: Record<string, BlobAnswer | null> | null } | null;

/** The selection (on a repository) that reads the default branch's configuration; it rides along with the blob reads. */
export function defaultConfigSelection(): string {
  const files = REPOSITORY_CONFIG_FILES.map(
    (path, i) =>
      `config${i}: file(path: ${JSON.stringify(path)}) { object { ... on Blob { text isTruncated isBinary } } }`,
  );
  return `defaultBranch: defaultBranchRef { name target { ... on Commit { ${files.join(" ")} } } }`;
}

/** Reads the answer to {@link defaultConfigSelection}, validated as the engine validates the file. */
export async function defaultBranchConfig(answer: Record<string, unknown>): Promise<TrustedConfig> {
  const ref = answer.defaultBranch as DefaultBranchAnswer;
  const branch = ref?.name ?? "the default branch";
  const files = REPOSITORY_CONFIG_FILES.flatMap((path, i): SourceFile[] => {
    const blob = ref?.target?.[`config${i}`]?.object;
    if (!blob) return [];
    if (blob.isBinary || typeof blob.text !== "string") return [{ path, skipped: "not a text file" }];
    if (blob.isTruncated)
      return [{ path, skipped: "larger than GitHub's GraphQL API returns (512,000 bytes)" }];
    return [{ path, text: blob.text }];
  });
  const read = await readRepositoryConfig({
    read: async (paths) => files.filter((file) => paths.includes(file.path)),
  });
  return trustedConfig(branch, read);
}

/** The default branch's settings as read, the first error (if any) being why they cannot be used. */
export function trustedConfig(
  branch: string,
  read: { config: RepositoryConfig; diagnostics: Diagnostic[] },
): TrustedConfig {
  const [first] = read.diagnostics;
  return first
    ? { branch, config: read.config, problem: `${first.file}:${first.line}: ${first.message}` }
    : { branch, config: read.config };
}
