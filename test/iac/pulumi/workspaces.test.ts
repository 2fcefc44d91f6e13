import { describe, expect, it } from "vitest";
import type { ProjectIo } from "../../../app/iac/format.ts";
import { workspacePackages } from "../../../app/iac/pulumi/workspaces.ts";

/** What the reader of workspaces needs of a snapshot: its paths and their texts; it records what is read. */
function io(files: Record<string, string>): ProjectIo & { reads: string[] } {
  const reads: string[] = [];
  return {
    paths: Object.keys(files),
    reads,
    read: async (paths) =>
      paths.map((path) => {
        reads.push(path);
        return { path, text: files[path] ?? "" };
      }),
  } as ProjectIo & { reads: string[] };
}

const manifest = (name: string) => JSON.stringify({ name, main: "src/index.ts" });

describe("workspace packages a program imports by name", () => {
  it("reads only the workspace above the program: npm's workspaces globs, negations included", async () => {
    const snapshot = io({
      "package.json": JSON.stringify({
        name: "acme",
        workspaces: ["packages/*", "infra/**", "!packages/legacy"],
      }),
      "packages/tags/package.json": manifest("@acme/tags"),
      "packages/legacy/package.json": manifest("@acme/legacy"),
      "infra/stacks/app/package.json": manifest("app"),
      "infra/stacks/app/Pulumi.yaml": "name: app\nruntime: nodejs\n",
      "tools/package.json": manifest("tools"),
      "packages/tags/node_modules/x/package.json": manifest("x"),
    });
    const packages = await workspacePackages(snapshot, "infra/stacks/app");
    expect(Object.fromEntries(packages)).toEqual({ "@acme/tags": "packages/tags", app: "infra/stacks/app" });
    expect(snapshot.reads).not.toContain("tools/package.json");
  });

  it("reads pnpm-workspace.yaml, and nothing outside a workspace", async () => {
    const snapshot = io({
      "pnpm-workspace.yaml": "packages:\n  - 'libs/*'\n",
      "libs/net/package.json": manifest("@acme/net"),
    });
    expect(Object.fromEntries(await workspacePackages(snapshot, "stacks/app"))).toEqual({
      "@acme/net": "libs/net",
    });
    expect(await workspacePackages(io({ "libs/net/package.json": manifest("net") }), "app")).toEqual(
      new Map(),
    );
  });
});
