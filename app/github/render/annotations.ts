import { byHand } from "../../engine/by-hand.ts";
import { CONFIGURATION_POLICY } from "../../engine/configuration.ts";
import type { Finding, Fix, Severity } from "../../engine/finding.ts";
import type { Report } from "../../engine/types.ts";
import type { Diagnostic } from "../../model/span.ts";
import { ANNOTATION_MESSAGE_MAX, ANNOTATION_TITLE_MAX } from "../limits.ts";
import type { Annotation, AnnotationLevel } from "../write/checks.ts";

const LEVEL: Record<Severity, AnnotationLevel> = { error: "failure", warning: "warning", notice: "notice" };
const ORDER: Record<AnnotationLevel, number> = { failure: 0, warning: 1, notice: 2 };

/** Every finding (suppressed ones excepted) and diagnostic on its exact lines, most severe first. */
export function annotations(report: Report): Annotation[] {
  const all = [
    ...report.findings.filter((f) => !f.suppressed).map(fromFinding),
    ...report.diagnostics.map(fromDiagnostic),
  ];
  return all.sort(
    (a, b) =>
      ORDER[a.annotation_level] - ORDER[b.annotation_level] ||
      a.path.localeCompare(b.path) ||
      a.start_line - b.start_line,
  );
}

function fromFinding(finding: Finding): Annotation {
  const { location } = finding;
  const fix = finding.fix ? `\n\n${fixLine(finding.fix)}` : "";
  return {
    path: location.file,
    start_line: location.startLine,
    end_line: Math.max(location.startLine, location.endLine),
    ...(location.startLine === location.endLine
      ? { start_column: location.startColumn, end_column: Math.max(location.startColumn, location.endColumn) }
      : {}),
    annotation_level: LEVEL[finding.severity],
    title: cut(
      finding.policy === CONFIGURATION_POLICY
        ? "GreenOps · configuration error"
        : `GreenOps · ${finding.policy}`,
      ANNOTATION_TITLE_MAX,
    ),
    message: cut(`${finding.message}${fix}`, ANNOTATION_MESSAGE_MAX),
  };
}

/** A fix as the check run names it; one whose edit cannot be written says why it is made by hand. */
function fixLine(fix: Fix): string {
  const manual = byHand(fix);
  return manual ? `Fix: ${manual.change}` : `Fix (${fix.kind}): ${fix.title}`;
}

function fromDiagnostic(diagnostic: Diagnostic): Annotation {
  return {
    path: diagnostic.file,
    start_line: diagnostic.line,
    end_line: diagnostic.line,
    annotation_level: LEVEL[diagnostic.severity],
    title: "GreenOps",
    message: cut(diagnostic.message, ANNOTATION_MESSAGE_MAX),
  };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
