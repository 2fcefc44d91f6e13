import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ValidateFunction } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { precompiledModule } from "../../app/cli/precompile.ts";
import { ajv, NAMED_SCHEMAS } from "../../app/config/ajv.ts";
import { PROJECT } from "../helpers/cli.ts";

/** Every module of app/: those that name a schema for lazyValidator are compiled. */
const modules = readdirSync(join(PROJECT, "app"), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => join(PROJECT, "app", file));

/** Values a validator may meet: of every type, and each property of the schema set to each type. */
function samples(schema: object): unknown[] {
  const kinds = [null, 0, -1, 1.5, "", "x", true, [], [1], {}, { unknown: 1 }];
  const properties = Object.keys((schema as { properties?: object }).properties ?? {});
  return [...kinds, ...properties.flatMap((key) => kinds.map((value) => ({ [key]: value })))];
}

describe("validators compiled ahead of time for the CLI bundle (app/cli/precompile.ts)", async () => {
  // Beside node_modules, as the bundle is: the standalone code requires ajv's run-time helpers.
  const file = join(PROJECT, `precompiled-check-${process.pid}.mjs`);
  writeFileSync(file, await precompiledModule(modules));
  const { PRECOMPILED } = (await import(pathToFileURL(file).href)) as {
    PRECOMPILED: Record<string, ValidateFunction>;
  };
  afterAll(() => rmSync(file, { force: true }));

  it("hold every schema the sources name, and only those", () => {
    expect(NAMED_SCHEMAS.size).toBeGreaterThan(5);
    expect(Object.keys(PRECOMPILED).sort()).toEqual([...NAMED_SCHEMAS.keys()].sort());
  });

  it.each([...NAMED_SCHEMAS])("%s: the same verdict and errors as compiling at run time", (name, schema) => {
    const compiled = ajv.compile(schema);
    const precompiled = PRECOMPILED[name] as ValidateFunction;
    for (const value of samples(schema)) {
      expect(precompiled(value), JSON.stringify(value)).toBe(compiled(value));
      expect(precompiled.errors, JSON.stringify(value)).toEqual(compiled.errors);
    }
  });
});
