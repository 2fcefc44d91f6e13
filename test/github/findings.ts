import type { Finding, FixResult, Severity } from "../../app/engine/finding.ts";

/**
 * A finding as a policy would report it: on the first occurrence of `needle` in `text`, with a fix
 * replacing it by `replacement` when given. Real-looking, built here until the policy runner lands.
 */
export function findingOn(
  file: string,
  text: string,
  needle: string,
  options: {
    policy: string;
    severity: Severity;
    message: string;
    replacement?: string;
    kind?: "safe" | "suggestion";
    saving?: number;
    /** The resource it is on: a fix of another resource's figures fails its check. */
    resource?: { id: string; environment: string };
  },
): Finding {
  const start = text.indexOf(needle);
  if (start === -1) throw new Error(`"${needle}" is not in ${file}`);
  const end = start + needle.length;
  const before = text.slice(0, start);
  const line = before.split("\n").length;
  const column = start - before.lastIndexOf("\n");
  const finding: Finding = {
    policy: options.policy,
    severity: options.severity,
    message: options.message,
    location: {
      file,
      startLine: line,
      startColumn: column,
      endLine: line,
      endColumn: column + needle.length,
      startOffset: start,
      endOffset: end,
    },
    ...(options.resource ? { resource: options.resource } : {}),
  };
  if (options.replacement !== undefined) {
    finding.fix = {
      title: `Replace ${needle} with ${options.replacement}`,
      kind: options.kind ?? "safe",
      edits: [{ file, start, end, text: options.replacement }],
      impact: { monthlyCost: -(options.saving ?? 10), monthlyCarbonKg: -0.25 },
    };
  }
  return finding;
}

/** A fix applier as the engine's would answer: every fix applied to its file's text (no overlaps in tests). */
export function applyAll(texts: (file: string) => string | undefined) {
  return async (findings: Finding[]): Promise<FixResult> => {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings)
      for (const e of f.fix?.edits ?? []) byFile.set(e.file, [...(byFile.get(e.file) ?? []), f]);
    const files = [...byFile].map(([path, list]) => {
      let text = texts(path) ?? "";
      const edits = list.flatMap((f) => f.fix?.edits ?? []).sort((a, b) => b.start - a.start);
      for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
      return { path, text, edits: edits.reverse() };
    });
    const cost = findings.reduce((sum, f) => sum + (f.fix?.impact?.monthlyCost ?? 0), 0);
    const carbon = findings.reduce((sum, f) => sum + (f.fix?.impact?.monthlyCarbonKg ?? 0), 0);
    return { files, applied: findings, skipped: [], impact: { monthlyCost: cost, monthlyCarbonKg: carbon } };
  };
}
