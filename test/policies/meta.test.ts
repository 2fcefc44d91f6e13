import { existsSync, readdirSync, readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../app/engine/policy.ts";
import { policyDocPath } from "../../app/report/policy-docs.ts";
import { BUILT_IN_POLICIES } from "../../policies/index.ts";

const ROOT = new URL("../../", import.meta.url);
const testSources = readdirSync(new URL("test/policies/", ROOT))
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => readFileSync(new URL(`test/policies/${file}`, ROOT), "utf8"));
const sentence = /^[A-Z`].*[.)]$/s;

describe("the policy registry", () => {
  it("lists every file of policies/ once, sorted by id", () => {
    const files = readdirSync(new URL("policies/", ROOT))
      .filter((file) => file.endsWith(".ts") && file !== "index.ts")
      .map((file) => file.replace(/\.ts$/, ""));
    const ids = Object.keys(BUILT_IN_POLICIES);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(files.sort());
  });
});

describe.each(Object.entries(BUILT_IN_POLICIES))("%s", (id, policy) => {
  const { meta } = policy;

  it("has its file name as id, kebab-case", () => {
    expect(meta.id).toBe(id);
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("has an options schema that compiles in strict mode, with valid defaults and described options", () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(meta.options);
    expect(validate(withDefaults(meta.options)), ajv.errorsText(validate.errors)).toBe(true);
    for (const [name, property] of Object.entries(meta.options.properties)) {
      expect(property, `${name} has a default`).toHaveProperty("default");
      expect(property, `${name} is described`).toHaveProperty("description");
    }
  });

  it("writes its rationale, fix and when-not-to-use as sentences", () => {
    expect(meta.rationale).toMatch(sentence);
    expect(meta.whenNotToUse).toMatch(sentence);
    if (meta.fix) expect(meta.fixDescription).toMatch(sentence);
    else expect(meta.fixDescription).toBeUndefined();
  });

  it("has every message rendered by a test case (where the tester fails on an unfilled placeholder)", () => {
    const tests = testSources.filter((source) => source.includes(`policies/${id}.ts"`));
    for (const messageId of Object.keys(meta.messages))
      expect(
        tests.some((source) => source.includes(`messageId: "${messageId}"`)),
        `a case of ${id} renders message "${messageId}"`,
      ).toBe(true);
  });

  it("has examples of both kinds, a test file and a documentation page", () => {
    expect(meta.examples?.invalid.length).toBeGreaterThan(0);
    expect(meta.examples?.valid.length).toBeGreaterThan(0);
    expect(testSources.some((source) => source.includes(`policies/${id}.ts"`))).toBe(true);
    expect(existsSync(new URL(policyDocPath(id), ROOT))).toBe(true);
  });
});
