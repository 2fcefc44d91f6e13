/**
 * Cuts markdown to at most `max` characters (UTF-16 code units, GitHub's count) at a line boundary,
 * closes a `<details>` left open, and ends with `note`, so a long report stays valid and says where
 * the rest is.
 */
export function fitMarkdown(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const ending = `\n\n${note}\n`;
  let kept = text.slice(0, Math.max(0, max - ending.length - "\n</details>".length * 4));
  const newline = kept.lastIndexOf("\n");
  if (newline > 0) kept = kept.slice(0, newline);
  if (/^```/m.test(kept) && (kept.match(/^```/gm)?.length ?? 0) % 2 === 1) kept += "\n```";
  const open = (kept.match(/<details>/g)?.length ?? 0) - (kept.match(/<\/details>/g)?.length ?? 0);
  for (let i = 0; i < Math.min(open, 4); i++) kept += "\n</details>";
  return `${kept}${ending}`;
}
