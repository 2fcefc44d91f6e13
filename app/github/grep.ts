/**
 * `git grep -F -w` over texts in memory, for snapshots that cannot run git (the GitHub App's): a word
 * matches where it is not preceded or followed by a letter, digit or underscore, as git's -w does.
 */
export function wordMatcher(words: string[]): RegExp | undefined {
  if (words.length === 0) return undefined;
  const alternatives = [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join("|")})(?![A-Za-z0-9_])`, "g");
}

/** The words of `matcher` found in `text`. */
export function wordsIn(text: string, matcher: RegExp): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(matcher)) found.add(match[0]);
  return found;
}
