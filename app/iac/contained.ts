import { YAMLException } from "js-yaml";
import type { Diagnostic } from "../model/span.ts";
import type { IacFormat, ParseContext, ParseResult, Project, ProjectIo, ProjectReader } from "./format.ts";
import { LocatedSyntaxError } from "./syntax-error.ts";

/**
 * A format's parse that cannot fail the run: whatever it throws becomes an error at the file's line
 * (the YAML error's own line when there is one), and the file is not estimated.
 */
export function parseContained(
  format: IacFormat,
  file: string,
  text: string,
  context: ParseContext,
): ParseResult {
  try {
    return format.parse(file, text, context);
  } catch (error) {
    return unreadFile(file, error);
  }
}

/** A file the error kept from being read: none of its resources known (marked unread, see Diagnostic). */
export function unreadFile(file: string, error: unknown): ParseResult {
  return {
    resources: [],
    diagnostics: [{ ...failure(file, error, "the file is not estimated"), unread: file }],
  };
}

/** A project's evaluation that cannot fail the run: what it throws is an error at the project's file. */
export async function evaluateContained(
  reader: ProjectReader,
  project: Project,
  io: ProjectIo,
): Promise<ParseResult> {
  try {
    return await reader.evaluate(project, io);
  } catch (error) {
    const diagnostic = failure(project.root, error, "it is not estimated");
    return { resources: [], diagnostics: [{ ...diagnostic, unread: project.root }] };
  }
}

/** Links one environment's resources; if linking throws, they stay as parsed and the error is reported. */
export function linkContained(
  format: IacFormat,
  resources: Parameters<IacFormat["link"]>[0],
  settings: Parameters<IacFormat["link"]>[1],
  counted?: number,
): ReturnType<IacFormat["link"]> {
  try {
    return format.link(resources, settings, counted);
  } catch (error) {
    const file = resources[0]?.source.span.file ?? "";
    return { resources, diagnostics: [failure(file, error, "links between its resources are not applied")] };
  }
}

/** A located error for what a reader threw: the YAML mark or syntax error's line, else line 1. */
export function failure(file: string, error: unknown, consequence: string): Diagnostic {
  const syntax = syntaxError(error);
  if (syntax) {
    const { problem, line, column } = syntax;
    return { file, line, column, severity: "error", message: `${problem}; ${consequence}` };
  }
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return {
    file,
    line: 1,
    severity: "error",
    message: `could not be read (${reason}); ${consequence}. This is a GreenOps bug: please report it`,
  };
}

/** A YAML syntax error's problem, line and column, from either kind the readers throw (js-yaml's mark counts from 0). */
function syntaxError(error: unknown): { problem: string; line: number; column: number } | undefined {
  if (error instanceof LocatedSyntaxError) return error;
  if (error instanceof YAMLException)
    return {
      problem: `invalid YAML: ${error.reason}`,
      line: (error.mark?.line ?? 0) + 1,
      column: (error.mark?.column ?? 0) + 1,
    };
  return undefined;
}
