import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { quotedDefaults } from "../../../app/iac/pulumi/component-defaults.ts";

const load = createRequire(import.meta.url);

describe("the awsx and eks defaults GreenOps applies are quoted from the packages it ships", () => {
  it.each(quotedDefaults().map((d) => [`${d.pkg} ${d.file} ${d.property}`, d] as const))(
    "%s",
    (_, quoted) => {
      const folder = dirname(load.resolve(`${quoted.pkg}/package.json`));
      const typings = readFileSync(join(folder, quoted.file), "utf8").replace(/\s*\n\s*\*\s*/g, " ");
      expect(typings).toContain(quoted.quote);
      expect(typings).toContain(`${quoted.property}`);
    },
  );
});
