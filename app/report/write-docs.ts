/**
 * `npm run docs` writes every generated document; `npm run docs -- --check` (and test/docs.test.ts)
 * fails when one differs from what it would write: the policies' pages and index, the published
 * JSON Schemas, and README's samples (CLI output kept in test/golden/ by the tests that run it): the
 * estimate of the example environments, and GreenOps' own bill (the estimate of stacks/, its headings
 * demoted to fit the README section, without the details).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { BUILT_IN_POLICIES } from "../../policies/index.ts";
import { PUBLISHED_SCHEMAS, schemaText } from "../config/publish-schemas.ts";
import { policyDocPath, policyIndex, policyPage, runExamples } from "./policy-docs.ts";

const ROOT = new URL("../../", import.meta.url);
const SAMPLES: Record<string, (golden: string) => string> = {
  "estimate-environments": (golden) => golden,
  "stacks-estimate": (golden) =>
    `${golden
      .slice(0, golden.indexOf("<details>"))
      .trimEnd()
      .replace(/^(#+) /gm, "$1## ")}\n`,
};

const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");

/** Every generated file, by path from the repository root, as it should read. */
export async function generatedDocs(): Promise<Map<string, string>> {
  const policies = Object.values(BUILT_IN_POLICIES);
  const docs = new Map<string, string>([["policies/README.md", policyIndex(policies)]]);
  for (const policy of policies)
    docs.set(policyDocPath(policy.meta.id), policyPage(policy, await runExamples(policy)));
  for (const [file, schema] of Object.entries(PUBLISHED_SCHEMAS))
    docs.set(`docs/schemas/${file}`, schemaText(schema));
  let readme = read("README.md");
  for (const [name, excerpt] of Object.entries(SAMPLES)) {
    const sample = excerpt(read(`test/golden/${name}.md`));
    const marked = new RegExp(`(<!-- sample:${name}[^>]*-->\\n)[\\s\\S]*?(<!-- \\/sample -->)`);
    readme = readme.replace(marked, (_, open: string, close: string) => `${open}${sample}${close}`);
  }
  docs.set("README.md", readme);
  return docs;
}

/** Generated files that differ from what is written, and pages of policies that no longer exist. */
export async function driftedDocs(): Promise<string[]> {
  const docs = await generatedDocs();
  const drifted = [...docs].filter(([path, text]) => !existsSync(new URL(path, ROOT)) || read(path) !== text);
  const pages = readdirSync(new URL("docs/policies/", ROOT)).map((file) => `docs/policies/${file}`);
  return [...drifted.map(([path]) => path), ...pages.filter((page) => !docs.has(page))];
}

if (import.meta.main) {
  if (process.argv.includes("--check")) {
    const drifted = await driftedDocs();
    for (const path of drifted) console.error(`${path} is out of date: run npm run docs`);
    process.exitCode = drifted.length > 0 ? 1 : 0;
  } else {
    for (const [path, text] of await generatedDocs()) writeFileSync(new URL(path, ROOT), text);
  }
}
