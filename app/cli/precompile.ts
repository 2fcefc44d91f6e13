/**
 * Build time (app/cli/build-cli.ts): the module that stands in the CLI bundle for
 * app/config/precompiled-validators.ts. It holds ajv's standalone code for every schema the bundled
 * modules name with `lazyValidator`, compiled with the options the run time uses, so that a run
 * calls a validator without compiling it (~35 ms a schema). The bundle is rebuilt, and stale until
 * then, whenever a schema's module changes (dist/inputs.json).
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { AJV_OPTIONS, NAMED_SCHEMAS } from "../config/ajv.ts";

/**
 * The code of the module, for the schemas `modules` name (those of them that call `lazyValidator` are
 * imported here to read them).
 */
export async function precompiledModule(modules: readonly string[]): Promise<string> {
  for (const module of modules)
    if (/\blazyValidator[<(]/.test(readFileSync(module, "utf8"))) await import(module);
  const names = [...NAMED_SCHEMAS.keys()].sort();
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const exports: Record<string, string> = {};
  names.forEach((name, index) => {
    ajv.addSchema(NAMED_SCHEMAS.get(name) as object, name);
    exports[`validator${index}`] = name;
  });
  const code = names.length === 0 ? "" : standaloneCode(ajv, exports);
  const table = names.map((name, index) => `  ${JSON.stringify(name)}: validator${index},`);
  // The standalone code requires ajv's run-time helpers (string length, deep equality) as CommonJS.
  return [
    'import { createRequire } from "node:module";',
    "const require = createRequire(import.meta.url);",
    code,
    `export const PRECOMPILED = {\n${table.join("\n")}\n};`,
    "",
  ].join("\n");
}

function standaloneCode(ajv: Ajv, exports: Record<string, string>): string {
  // A CommonJS module: its exports are the default import.
  return standalone.default(ajv, exports).replace(/^"use strict";/, "");
}
