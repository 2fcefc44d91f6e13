import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../app/cli/help.ts";
import { actionCommand, actionTelemetry } from "../../app/github/action.ts";

type Action = {
  inputs: Record<string, { description: string; default?: string }>;
  runs: { using: string; steps: { run?: string; env?: Record<string, string>; uses?: string }[] };
};

const action = load(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as Action;

describe("action.yml (uses: greenops-dev/greenops@v1)", () => {
  it("declares its inputs, each described, and passes every one to GreenOps' step", () => {
    expect(Object.keys(action.inputs)).toEqual([
      "mode",
      "environment",
      "prometheus-url",
      "opencost-url",
      "telemetry-window",
      "argocd-server",
      "revision",
      "sync",
      "timeout",
      "github-token",
    ]);
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).not.toBe("");
    const step = action.runs.steps.find((s) => s.run?.includes("app/github/action.ts"));
    const passed = Object.values(step?.env ?? {}).join(" ");
    for (const name of Object.keys(action.inputs)) expect(passed).toContain(`inputs.${name}`);
    expect(action.runs.steps[0]?.uses).toBe("actions/setup-node@v4");
  });

  it.each([
    [{ INPUT_MODE: "review" }, undefined],
    [{}, undefined],
    [
      {
        INPUT_MODE: "scan",
        INPUT_ENVIRONMENT: "prod",
        INPUT_PROMETHEUS_URL: "https://prom:9090",
        INPUT_OPENCOST_URL: "",
        INPUT_TELEMETRY_WINDOW: "7d",
        INPUT_ARGOCD_SERVER: "https://argocd.example",
      },
      ["scan", "--env", "prod", "--prometheus", "https://prom:9090", "--telemetry-window", "7d"],
    ],
    [
      {
        INPUT_MODE: "deploy-status",
        INPUT_ARGOCD_SERVER: "https://argocd.example",
        INPUT_PROMETHEUS_URL: "https://p",
        INPUT_SYNC: "true",
        GITHUB_SHA: "0123abc",
      },
      ["deploy-status", "--revision", "0123abc", "--argocd-server", "https://argocd.example", "--sync"],
    ],
    [
      { INPUT_MODE: "deploy-status", INPUT_REVISION: "feed", INPUT_TIMEOUT: "5m", GITHUB_SHA: "0123abc" },
      ["deploy-status", "--revision", "feed", "--timeout", "5m"],
    ],
  ])("mode %j runs %j", (env, command) => {
    expect(actionCommand(env)).toEqual(command);
  });

  it("runs only options its command takes", () => {
    const every = {
      INPUT_ENVIRONMENT: "e",
      INPUT_PROMETHEUS_URL: "https://p",
      INPUT_OPENCOST_URL: "https://o",
      INPUT_TELEMETRY_WINDOW: "7d",
      INPUT_ARGOCD_SERVER: "https://a",
      INPUT_REVISION: "r",
      INPUT_SYNC: "true",
      INPUT_TIMEOUT: "1m",
    };
    for (const mode of ["scan", "deploy-status"] as const) {
      const [command, ...args] = actionCommand({ ...every, INPUT_MODE: mode }) ?? [];
      expect(command).toBe(mode);
      const flags = args.filter((a) => a.startsWith("--")).map((a) => a.slice(2));
      const allowed: readonly string[] = COMMANDS[mode].options;
      for (const flag of flags) expect(allowed, `${mode} --${flag}`).toContain(flag);
    }
  });

  it("checks a review's telemetry inputs as the command line checks its flags", () => {
    expect(actionTelemetry({ INPUT_PROMETHEUS_URL: "https://prom:9090", INPUT_OPENCOST_URL: "" })).toEqual({
      prometheus: "https://prom:9090",
    });
    expect(actionTelemetry({ INPUT_TELEMETRY_WINDOW: "soon" })).toBe(
      'the telemetry-window input must be a duration: a whole number and one of s, m, h, d, w (90s, 10m, 14d); got "soon"',
    );
    expect(actionTelemetry({ INPUT_OPENCOST_URL: "file:///etc/passwd" })).toMatch(
      /^the opencost-url input: /,
    );
  });

  it("refuses an unknown mode, saying which are known", () => {
    expect(() => actionCommand({ INPUT_MODE: "deploy" })).toThrow(
      'the mode input is "deploy": use review, scan or deploy-status',
    );
  });
});
