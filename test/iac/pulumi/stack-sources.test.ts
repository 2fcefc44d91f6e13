import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { estimate } from "../../../app/engine/estimate.ts";
import { testPrograms } from "../../helpers/programs.ts";

// The real parser and file reads, observed: how often each source file of the program is parsed and read.
const parsedFiles = vi.hoisted(() => [] as string[]);
vi.mock("rolldown/parseAst", async (importOriginal) => {
  const actual = await importOriginal<typeof import("rolldown/parseAst")>();
  return {
    ...actual,
    parseAst: (...args: Parameters<typeof actual.parseAst>) => {
      parsedFiles.push(args[2] ?? "");
      return actual.parseAst(...args);
    },
  };
});
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) };
});

const STACKS = { dev: "t3.micro", staging: "t3.small", prod: "m5.large", qa: "t3.micro", perf: "c5.xlarge" };
const SOURCES = ["index.ts", "storage.ts"];
const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** A project of two source files and five stacks, each with an instance size of its own. */
function project(): string {
  const dir = fs.mkdtempSync(join(tmpdir(), "greenops-pulumi-stacks-"));
  temporary.push(dir);
  const files: Record<string, string> = {
    "Pulumi.yaml": "name: probe\nruntime: nodejs\n",
    "index.ts": `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { volume } from "./storage";

const config = new pulumi.Config();
new aws.ec2.Instance("web", { ami: "ami-0123456789abcdef0", instanceType: config.require("size") });
volume("data", 50);
`,
    "storage.ts": `import * as aws from "@pulumi/aws";

export function volume(name: string, size: number) {
  return new aws.ebs.Volume(name, { availabilityZone: "us-east-1a", size, type: "gp3" });
}
`,
  };
  for (const [stack, size] of Object.entries(STACKS))
    files[`Pulumi.${stack}.yaml`] = `config:\n  aws:region: us-east-1\n  probe:size: ${size}\n`;
  for (const [path, text] of Object.entries(files)) fs.writeFileSync(join(dir, path), text);
  return dir;
}

describe("the stacks of a Pulumi program", () => {
  it("share one read and one parse of each source file, and each stack keeps its own config's fields", async () => {
    const dir = project();
    parsedFiles.length = 0;
    vi.mocked(fs.readFileSync).mockClear();

    const report = await estimate(dir, { projects: { programs: testPrograms(30_000) } });

    const fields = report.rows
      .flatMap((row) => row.after?.resource ?? [])
      .map((r) => [
        r.notes.find((note) => note.startsWith("Pulumi stack ")),
        r.name,
        ...Object.entries(r.source.fields).map(
          ([pointer, at]) => `${pointer} ${at.value.file}:${at.value.startLine}`,
        ),
      ])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(fields).toEqual(
      Object.keys(STACKS)
        .sort()
        .flatMap((stack) => [
          [`Pulumi stack ${stack}`, "data", "/availabilityZone storage.ts:4", "/type storage.ts:4"],
          [`Pulumi stack ${stack}`, "web", "/ami index.ts:6", `/instanceType Pulumi.${stack}.yaml:3`],
        ]),
    );
    const reads = vi
      .mocked(fs.readFileSync)
      .mock.calls.map(([path]) => basename(String(path)))
      .filter((file) => SOURCES.includes(file));
    expect(reads.sort()).toEqual(SOURCES);
    expect(parsedFiles.sort()).toEqual(SOURCES);
  }, 120_000);
});
