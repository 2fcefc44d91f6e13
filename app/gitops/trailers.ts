import type { Finding } from "../engine/finding.ts";
import { VERSION } from "../version.ts";

/**
 * The git trailers of every commit GreenOps makes (fix commits and scan commits): which policies, what
 * it saves each month, which GreenOps wrote it. The deployment report reads them back to say which
 * savings reached the cluster. Savings are positive when money or carbon is saved.
 */
export const TRAILERS = {
  fix: "GreenOps-Fix",
  scan: "GreenOps-Scan",
  policy: "GreenOps-Policy",
  saving: "GreenOps-Saving",
  version: "GreenOps-Version",
} as const;

export type Saving = { monthlyCost: number; monthlyCarbonKg: number };

/** What a GreenOps commit says about itself. */
export type GreenOpsTrailers = {
  policies: string[];
  saving?: Saving;
  version?: string;
  /** The reviewed commit a fix commit was made on. */
  fix?: string;
  /** The environment a scan commit optimizes. */
  scan?: string;
};

/** `GreenOps-Policy:` once per policy id, `GreenOps-Saving:`, `GreenOps-Version:`. */
export function trailerLines(policies: Iterable<string>, impact: Saving): string[] {
  const saving = `${amount(-impact.monthlyCost, 2)} USD/month; ${amount(-impact.monthlyCarbonKg, 3)} kgCO2e/month`;
  return [
    ...[...new Set(policies)].sort().map((id) => `${TRAILERS.policy}: ${id}`),
    `${TRAILERS.saving}: ${saving}`,
    `${TRAILERS.version}: ${VERSION}`,
  ];
}

/**
 * The body of a GreenOps commit: one line per fix (its policy, its title, where), then the trailers,
 * `first` (what kind of commit it is, e.g. `GreenOps-Fix: <reviewed sha>`) before {@link trailerLines}.
 */
export function commitBody(fixes: Finding[], first: string, impact: Saving): string {
  const lines = fixes.map(
    (f) => `- ${f.policy}: ${f.fix?.title ?? f.message} (${f.location.file}:${f.location.startLine})`,
  );
  const trailers = [
    first,
    ...trailerLines(
      fixes.map((f) => f.policy),
      impact,
    ),
  ];
  return `${lines.join("\n")}\n\n${trailers.join("\n")}`;
}

const SAVING = /^(-?\d+(?:\.\d+)?) USD\/month; (-?\d+(?:\.\d+)?) kgCO2e\/month$/;

/** The GreenOps trailers of a commit message (the last paragraph's `Key: value` lines), or undefined. */
export function readTrailers(message: string): GreenOpsTrailers | undefined {
  const paragraph =
    message
      .trim()
      .split(/\n\s*\n/)
      .at(-1) ?? "";
  const found: GreenOpsTrailers = { policies: [] };
  let any = false;
  for (const line of paragraph.split("\n")) {
    const match = /^(GreenOps-[A-Za-z]+):\s*(.+?)\s*$/.exec(line);
    if (!match) continue;
    const [, key, value = ""] = match;
    any = true;
    if (key === TRAILERS.policy) found.policies.push(value);
    else if (key === TRAILERS.version) found.version = value;
    else if (key === TRAILERS.fix) found.fix = value;
    else if (key === TRAILERS.scan) found.scan = value;
    else if (key === TRAILERS.saving) {
      const saving = SAVING.exec(value);
      if (saving) found.saving = { monthlyCost: Number(saving[1]), monthlyCarbonKg: Number(saving[2]) };
    }
  }
  return any ? found : undefined;
}

/** A number with fixed decimals, never "-0.00". */
function amount(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}
