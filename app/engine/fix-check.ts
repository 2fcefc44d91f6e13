import { type Diagnostic, newDiagnostics } from "../model/span.ts";
import type { SourceFile } from "../source/snapshot.ts";
import type { Environments } from "./environments.ts";
import { FORMATS } from "./formats.ts";

/** What a fixed text must pass beyond the policies: no schema or settings error its original did not have. */

/** Schema errors in the replaced texts that their original texts did not have. */
export async function newSchemaErrors(
  textOf: (file: string) => string | undefined,
  replaced: ReadonlyMap<string, string>,
): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  for (const [file, text] of replaced) {
    const original = textOf(file);
    const format = FORMATS.find((f) => f.validate && f.detect(file, text));
    if (!format?.validate || original === undefined) continue;
    // The original is validated only when the fixed text has errors: most fixed texts have none.
    const after = await format.validate(file, text);
    if (after.length === 0) continue;
    const before = new Set((await format.validate(file, original)).map((d) => d.message));
    found.push(...after.filter((d) => !before.has(d.message)));
  }
  return found;
}

/** Errors in edited environment settings: such a file would be replaced by the defaults. */
export function newSettingsErrors(before: Environments, after: Environments): Diagnostic[] {
  return newDiagnostics(before.errors, after.errors);
}

/** Whether any replaced text is an environment's settings file (the configuration is read again). */
export function editsSettings(environments: Environments, replaced: ReadonlyMap<string, string>): boolean {
  return [...replaced.keys()].some((path) => environments.texts.has(path));
}

/** The files as read, with the replaced ones' new texts. */
export function replaceTexts(
  files: readonly SourceFile[],
  replaced: ReadonlyMap<string, string>,
): SourceFile[] {
  return files.map((file) => {
    const text = replaced.get(file.path);
    return text === undefined ? file : { path: file.path, text };
  });
}
