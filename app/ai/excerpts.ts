import type { Report } from "../engine/types.ts";
import { redactManifest } from "./redact.ts";

/** Manifests sent for proposals at most, and lines of one manifest. */
export const MAX_EXCERPTS = 20;
export const MAX_EXCERPT_LINES = 150;

export type Excerpts = {
  /** Numbered lines of the resources a proposal may edit, redacted. */
  text: string;
  /** What was sent: a proposal may only edit these lines, and none that was redacted. */
  sent: Map<string, { lines: Set<number>; redacted: Set<number>; resources: Set<string> }>;
};

/**
 * The minimal manifest text proposals need: the YAML documents of the costliest resources at the
 * head, each line numbered as in its file, after redaction. A file that cannot be parsed is not sent,
 * nor a copy not counted of an object declared again (it costs nothing; editing it saves nothing).
 */
export function excerptsOf(
  report: Report,
  text: (file: string) => string | undefined,
  redact: readonly string[],
): Excerpts {
  const candidates = report.rows
    .flatMap((row) => (row.after && !row.after.notCounted ? [row.after] : []))
    .filter(({ resource }) => /\.ya?ml$/.test(resource.source.span.file) && costs(resource.demand.type))
    .sort((a, b) => (b.estimate.monthlyCost ?? 0) - (a.estimate.monthlyCost ?? 0))
    .slice(0, MAX_EXCERPTS);
  const redacted = new Map<string, { text: string; lines: Set<number> } | undefined>();
  const sent: Excerpts["sent"] = new Map();
  const blocks: string[] = [];
  for (const { resource } of candidates) {
    const { file, startLine } = resource.source.span;
    if (!redacted.has(file)) redacted.set(file, redactedFile(file, text(file), redact));
    const safe = redacted.get(file);
    if (!safe) continue;
    const lines = safe.text.split("\n");
    const endLine = Math.min(resource.source.span.endLine, startLine + MAX_EXCERPT_LINES - 1, lines.length);
    const entry = sent.get(file) ?? { lines: new Set(), redacted: safe.lines, resources: new Set() };
    entry.resources.add(resource.id);
    const numbered: string[] = [];
    for (let line = startLine; line <= endLine; line++) {
      entry.lines.add(line);
      numbered.push(`${line}| ${lines[line - 1] ?? ""}`);
    }
    sent.set(file, entry);
    blocks.push(`--- ${file} lines ${startLine}-${endLine}: ${resource.id}\n${numbered.join("\n")}`);
  }
  return { text: blocks.join("\n\n"), sent };
}

function redactedFile(
  file: string,
  original: string | undefined,
  redact: readonly string[],
): { text: string; lines: Set<number> } | undefined {
  if (original === undefined) return undefined;
  const text = redactManifest(file, original, redact);
  if (text === undefined) return undefined;
  const before = original.split("\n");
  const lines = new Set<number>();
  text.split("\n").forEach((line, i) => {
    if (line !== before[i]) lines.add(i + 1);
  });
  return { text, lines };
}

function costs(type: string): boolean {
  return type === "workload" || type === "volume" || type === "load-balancer";
}
