import { describe, expect, it } from "vitest";
import { runExamples } from "../app/report/policy-docs.ts";
import { driftedDocs } from "../app/report/write-docs.ts";
import { BUILT_IN_POLICIES } from "../policies/index.ts";

describe("generated documents", () => {
  it("are as npm run docs writes them (policy pages and index, schemas, README's sample)", async () => {
    expect(await driftedDocs(), "run npm run docs").toEqual([]);
  });

  describe.each(Object.values(BUILT_IN_POLICIES))("$meta.id's examples", (policy) => {
    it("each ❌ finds something and each ✅ nothing; every fix applies", async () => {
      const { invalid, valid } = await runExamples(policy);
      for (const run of invalid) {
        expect(run.findings.length, run.example.title).toBeGreaterThan(0);
        expect(run.fixed.length, `${run.example.title}: its fixes apply`).toBe(
          run.findings.some((f) => f.fix) ? 1 : 0,
        );
      }
      for (const run of valid) expect(run.findings, run.example.title).toEqual([]);
    });
  });
});
