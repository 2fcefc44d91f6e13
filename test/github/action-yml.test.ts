import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { actionCommand } from "../../app/github/action.ts";

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
      "argocd-url",
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
      },
      ["scan", "--environment", "prod", "--prometheus", "https://prom:9090"],
    ],
    [
      {
        INPUT_MODE: "deploy-status",
        INPUT_ARGOCD_URL: "https://argocd.example",
        INPUT_PROMETHEUS_URL: "https://p",
      },
      ["deploy-status", "--argocd", "https://argocd.example"],
    ],
  ])("mode %j runs %j", (env, command) => {
    expect(actionCommand(env)).toEqual(command);
  });

  it("refuses an unknown mode, saying which are known", () => {
    expect(() => actionCommand({ INPUT_MODE: "deploy" })).toThrow(
      'the mode input is "deploy": use review, scan or deploy-status',
    );
  });
});
