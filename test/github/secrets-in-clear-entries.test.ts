import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { SECRET_IN_CLEAR } from "../../app/config/operator-url.ts";
import { LEFT_LOOPBACK } from "../helpers/loopback-only.ts";
import { appEnv, exited, startApp } from "../service/app-processes.ts";

/*
 * The warnings as the entries give them: the Action's step (`node app/github/action.ts`, its inputs in
 * the environment as action.yml passes them) and the App's process (`npm start`). Every host named is
 * beyond loopback but never contacted: only the start-up warning is looked at, and a guard loaded into
 * each process ends it (status 97) if anything connects beyond 127.0.0.1.
 */

const GUARD = `--import=${new URL("../helpers/loopback-only.ts", import.meta.url).pathname}`;
const ACTION = new URL("../../app/github/action.ts", import.meta.url).pathname;
const TOKEN = "ghs_workflowtoken0123456789";
const SECRET = "s3cret-value-never-logged";

type Action = {
  inputs: Record<string, { default?: string }>;
  runs: { steps: { env?: Record<string, string> }[] };
};
const action = load(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as Action;

/** The step's environment as GitHub Actions sets it: every input, given or its default ("" when none). */
function stepEnv(inputs: Record<string, string>): Record<string, string> {
  const step = action.runs.steps.find((s) => s.env?.INPUT_MODE !== undefined);
  const value = (name: string) => inputs[name] ?? action.inputs[name]?.default ?? "";
  return Object.fromEntries(
    Object.entries(step?.env ?? {}).map(([variable, expression]) => [
      variable,
      expression.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => value(name)),
    ]),
  );
}

/** A workflow event GreenOps does not handle: the run starts, warns, and writes nothing to GitHub. */
const star = (
  createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: object[] }[]
)
  .find((e) => e.name === "star")
  ?.examples.find((e) => (e as { action?: string }).action === "created");

const folder = mkdtempSync(join(tmpdir(), "greenops-action-"));
const eventPath = join(folder, "event.json");
writeFileSync(eventPath, JSON.stringify(star));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function runActionStep(inputs: Record<string, string>, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [ACTION], {
    encoding: "utf8",
    timeout: 60_000,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: folder,
      NODE_OPTIONS: GUARD,
      GITHUB_EVENT_NAME: "star",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: "https://api.github.com",
      ...stepEnv({ "github-token": TOKEN, ...inputs }),
      ...env,
    },
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** The warning as Probot's pretty log prints it: the message, then its fields. */
const warning = (secret: string, origin: string, setting: string) =>
  `WARN (probot): ${SECRET_IN_CLEAR}\n    secrets: [\n      "${secret}"\n    ]\n    origin: "${origin}"\n    setting: "${setting}"\n    use: "https://"\n`;

describe("the Action's step warns once of a secret it would send in clear", () => {
  it.each([
    [
      "the prometheus-url input over http, with a token",
      { "prometheus-url": "http://prometheus.example.invalid:9090" },
      { GREENOPS_PROMETHEUS_BEARER_TOKEN: SECRET },
      warning(
        "GREENOPS_PROMETHEUS_BEARER_TOKEN",
        "http://prometheus.example.invalid:9090",
        "the prometheus-url input",
      ),
    ],
    [
      "the AI advisor's key to an http OPENAI_BASE_URL",
      {},
      {
        GREENOPS_AI_MODEL: "gpt-4o-mini",
        OPENAI_BASE_URL: "http://llm.example.invalid/v1",
        OPENAI_API_KEY: SECRET,
      },
      warning("OPENAI_API_KEY", "http://llm.example.invalid", "OPENAI_BASE_URL"),
    ],
    [
      "the workflow's token to an http GITHUB_API_URL",
      {},
      { GITHUB_API_URL: "http://ghes.example.invalid/api/v3" },
      warning("GITHUB_TOKEN", "http://ghes.example.invalid", "GITHUB_API_URL"),
    ],
  ])("%s", (_, inputs, env, expected) => {
    const run = runActionStep(inputs, env);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(expected);
    expect(run.output.match(/WARN/g)).toHaveLength(1);
    expect(run.output).not.toContain(SECRET);
    expect(run.output).not.toContain(TOKEN);
  });

  it("says nothing of the kind over https", () => {
    const quiet = runActionStep(
      { "prometheus-url": "https://prometheus.example.invalid" },
      { GREENOPS_PROMETHEUS_BEARER_TOKEN: SECRET },
    );
    expect(quiet.status, quiet.output).toBe(0);
    expect(quiet.output).not.toContain("WARN");
  });
});

describe("the loopback guard these processes run under", () => {
  it("ends a process that connects beyond loopback, before it connects", () => {
    const run = spawnSync(process.execPath, [GUARD, "-e", 'await fetch("http://llm.example.invalid/v1")'], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.status).toBe(LEFT_LOOPBACK);
    expect(run.stderr).toContain("a connection to llm.example.invalid was attempted");
  });
});

describe("the App's process (npm start) warns once of the AI key it would send in clear", () => {
  it("names OPENAI_API_KEY, OPENAI_BASE_URL's origin, never the key", async () => {
    const { REDIS_URL: _, ...env } = appEnv("127.0.0.1:9", "", "unused");
    const app = await startApp(
      {
        ...env,
        NODE_OPTIONS: GUARD,
        GREENOPS_AI_MODEL: "gpt-4o-mini",
        OPENAI_BASE_URL: "http://llm.example.invalid/v1",
        OPENAI_API_KEY: SECRET,
      },
      "all",
    );
    app.child.kill("SIGTERM");
    await exited(app);
    expect(app.child.exitCode).toBe(0);
    const warnings = app.logs.filter((log) => log.level === 40);
    expect(warnings.map(({ msg, secrets, origin, setting }) => ({ msg, secrets, origin, setting }))).toEqual([
      {
        msg: SECRET_IN_CLEAR,
        secrets: ["OPENAI_API_KEY"],
        origin: "http://llm.example.invalid",
        setting: "OPENAI_BASE_URL",
      },
    ]);
    expect(JSON.stringify(app.logs)).not.toContain(SECRET);
  }, 60_000);
});
