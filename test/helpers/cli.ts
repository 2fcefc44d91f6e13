import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { expect } from "vitest";

export const PROJECT = new URL("../../", import.meta.url).pathname;
const BIN = join(PROJECT, "bin/greenops.js");
const schema = JSON.parse(readFileSync(join(PROJECT, "docs/report-schema.json"), "utf8"));
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** Runs the CLI binary as a user would: a separate process, in `cwd`. */
export function greenops(cwd: string, ...args: string[]) {
  return greenopsWith({}, cwd, ...args);
}

/** Runs the CLI with more environment variables (GREENOPS_KUBECTL, GREENOPS_PROGRAM_*). */
export function greenopsWith(env: Record<string, string>, cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    // A run that blocks (on a FIFO, a program that never ends) fails the test instead of hanging it.
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI with `--format json`: it must succeed silently and write a report that follows the schema. */
export function json(cwd: string, ...args: string[]) {
  const run = greenops(cwd, ...args, "--format", "json");
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(validateReport(report), JSON.stringify(validateReport.errors, null, 2)).toBe(true);
  return report;
}
