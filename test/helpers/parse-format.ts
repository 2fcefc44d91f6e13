import type { IacFormat, ParseContext, ParseResult } from "../../app/iac/format.ts";

/** Parses one file with `format` and links its resources, as the engine does for one environment. */
export function parseWith(format: IacFormat, file: string, text: string, context: ParseContext): ParseResult {
  const parsed = format.parse(file, text, context);
  const linked = format.link(parsed.resources, context.settings);
  return { resources: linked.resources, diagnostics: [...parsed.diagnostics, ...linked.diagnostics] };
}
