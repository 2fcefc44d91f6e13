import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCli } from "../../app/cli/build-cli.ts";
import { greenops, PROJECT } from "../helpers/cli.ts";
import { tempRepo } from "../helpers/git-repo.ts";

describe("the bundled CLI (npm run build, built before the tests)", () => {
  const repo = tempRepo();
  repo.write(
    "deploy.yaml",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          resources: { requests: { cpu: 100m, memory: 128Mi } }\n",
  );
  repo.commit("a Deployment");
  const copies = [1, 2].map((n) => join(PROJECT, `dist-check-${process.pid}-${n}`));
  afterAll(() => {
    repo.dispose();
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  });

  it("is what the CLI runs", () => {
    const run = greenops(repo.root, "estimate", ".", "--stats", "--quiet", "-o", "/dev/null");
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/peak RSS \d+ MB, bundled\n$/);
  });

  it("does not load fetch's undici when no telemetry is read (~30 ms of start-up)", () => {
    const loaded = 'process.on("exit", () => console.error(process.moduleLoadList.join("\\n")))';
    const run = spawnSync(
      process.execPath,
      ["--import", `data:text/javascript,${loaded}`, join(PROJECT, "bin/greenops.js"), "estimate", "."],
      { cwd: repo.root, encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("NativeModule internal/fs/utils");
    expect(run.stderr).not.toContain("undici");
  });

  it("holds the validators of the settings every run reads, compiled (app/cli/precompile.ts)", () => {
    const dist = join(PROJECT, "dist");
    const code = readdirSync(dist).map((name) => readFileSync(join(dist, name), "utf8"));
    for (const name of ["environment-settings", "repository-config"])
      expect(code.some((text) => text.includes(`${JSON.stringify(name)}: validator`))).toBe(true);
  });

  it("checks a review's fixes against the Kubernetes schema it holds, without loading the package or a warning", () => {
    // Logs each module resolved from node_modules/kubernetes-models (schema-check.ts names the kinds it bundles).
    const hooks = `import { registerHooks } from "node:module"; registerHooks({ resolve(s, c, next) { const r = next(s, c); if (r.url.includes("/node_modules/kubernetes-models/")) console.error("loaded " + r.url); return r; } });`;
    repo.write("deploy.yaml", readFileSync(join(repo.root, "deploy.yaml"), "utf8").replace("100m", "200m"));
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${hooks}`,
        join(PROJECT, "bin/greenops.js"),
        "review",
        "--base",
        "HEAD",
      ],
      { cwd: repo.root, encoding: "utf8" },
    );
    repo.git("checkout", "-q", "--", ".");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Limit memory to 128Mi");
    expect(run.stdout).not.toContain("did not pass the check");
    expect(run.stderr).toBe("");
  });

  it("is the same, file for file, whenever it is built from the same sources", async () => {
    for (const copy of copies) await buildCli(copy);
    const files = (dir: string) =>
      readdirSync(dir)
        .sort()
        .map((name) => [name, readFileSync(join(dir, name), "utf8")]);
    expect(files(copies[0] as string)).toEqual(files(copies[1] as string));
    expect(files(copies[0] as string)).toEqual(files(join(PROJECT, "dist")));
  });
});

describe("bin/greenops.js", () => {
  // A project of its own: the bin, a source that says it ran, a bundle that says it ran, and its inputs.
  const project = mkdtempSync(join(tmpdir(), "greenops-bin-"));
  for (const dir of ["bin", "app/cli", "dist"]) mkdirSync(join(project, dir), { recursive: true });
  copyFileSync(join(PROJECT, "bin/greenops.js"), join(project, "bin/greenops.js"));
  writeFileSync(join(project, "app/cli/main.ts"), 'console.log("sources");\n');
  writeFileSync(join(project, "dist/greenops.mjs"), 'console.log("bundle");\n');
  const input = join(project, "app/cli/input.ts");
  writeFileSync(input, "export const input = 1;\n");
  utimesSync(input, 1_700_000_000, 1_700_000_000);
  const inputs = (size: number, mtimeMs: number) =>
    writeFileSync(
      join(project, "dist/inputs.json"),
      JSON.stringify({ inputs: [["app/cli/input.ts", size, mtimeMs]] }),
    );
  const run = () =>
    spawnSync(process.execPath, [join(project, "bin/greenops.js")], { encoding: "utf8" }).stdout;
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it.each([
    ["runs the bundle while every file it was built from is unchanged", 24, 1_700_000_000_000, "bundle"],
    ["runs the sources when a file it was built from has another size", 25, 1_700_000_000_000, "sources"],
    ["runs the sources when a file it was built from was modified since", 24, 1_600_000_000_000, "sources"],
  ])("%s", (_, size, mtimeMs, ran) => {
    inputs(size, mtimeMs);
    expect(run()).toBe(`${ran}\n`);
  });

  it("runs the sources when there is no bundle", () => {
    rmSync(join(project, "dist"), { recursive: true, force: true });
    expect(run()).toBe("sources\n");
  });
});

describe("the Node.js flags of bin/greenops.js's first line", () => {
  // A project of its own whose sources print the flags and the major version of the Node.js they run on.
  const project = mkdtempSync(join(tmpdir(), "greenops-flags-"));
  for (const dir of ["bin", "app/cli"]) mkdirSync(join(project, dir), { recursive: true });
  copyFileSync(join(PROJECT, "bin/greenops.js"), join(project, "bin/greenops.js"));
  symlinkSync(join(PROJECT, "node_modules"), join(project, "node_modules"));
  writeFileSync(
    join(project, "app/cli/main.ts"),
    'console.log(process.execArgv.join(" "), process.versions.node.split(".")[0]);\n',
  );
  const flags = readFileSync(join(PROJECT, "bin/greenops.js"), "utf8").split("\n", 1)[0]?.split(" ").slice(3);
  const runWith = (nodeDir: string) =>
    spawnSync(join(project, "bin/greenops.js"), [], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH}` },
    }).stdout;
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("caps V8's young generation", () => {
    expect(flags).toEqual(["--max-semi-space-size=16"]);
  });

  it("reach the CLI when a shell runs the bin with Node.js 24", () => {
    expect(runWith(dirname(process.execPath))).toBe(`${flags?.join(" ")} 24\n`);
  });

  const older = olderNode();
  it.runIf(older)(
    "reach the CLI when the bin runs itself again on Node.js 24 (an older node on PATH)",
    () => {
      expect(runWith(dirname(older as string))).toBe(`${flags?.join(" ")} 24\n`);
    },
  );
});

/** A `node` older than 24 on PATH (the machine's own), if there is one. */
function olderNode(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const node = join(dir, "node");
    const major = spawnSync(node, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).stdout;
    if (Number(major) > 0 && Number(major) < 24) return node;
  }
  return undefined;
}
