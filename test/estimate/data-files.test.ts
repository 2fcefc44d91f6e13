import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../app/estimate/catalog/csv.ts";
import { DATA_SCHEMAS } from "../../app/estimate/catalog/data-schemas.ts";
import { coerce } from "../../app/estimate/catalog/table.ts";

const DATA = new URL("../../app/estimate/data/", import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: true });
const read = (file: string) => readFileSync(new URL(file, DATA), "utf8");

describe("data files follow their schemas", () => {
  it.each(Object.entries(DATA_SCHEMAS))("%s", (file, schema) => {
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
    const validate = ajv.compile(schema);
    const rows = file.endsWith(".csv") ? parseCsv(read(file)) : [JSON.parse(read(file))];
    expect(rows.length).toBeGreaterThan(0);
    rows.forEach((row, index) => {
      const value = coerce(row, schema);
      expect(validate(value), `${file} row ${index + 2}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      if (file.endsWith(".csv")) {
        for (const [column, cell] of Object.entries(value as object)) {
          expect(typeof cell === "number" && Number.isNaN(cell), `${file} row ${index + 2} ${column}`).toBe(
            false,
          );
        }
      }
    });
  });

  it("has a SOURCE note and a catalog entry for every data file", () => {
    const catalog = JSON.parse(read("catalog.json")) as { sources: { file: string; id: string }[] };
    const files = Object.keys(DATA_SCHEMAS).filter((f) => f !== "catalog.json");
    expect(catalog.sources.map((s) => s.file).sort()).toEqual(files.sort());
    for (const { file, id } of catalog.sources) {
      expect(id).toBe(file.replace(/\.(csv|json)$/, ""));
      expect(read(`${id}.SOURCE.md`)).toMatch(/^# SOURCE: /);
    }
  });
});
