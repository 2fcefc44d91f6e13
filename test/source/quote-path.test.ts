import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quotePath, quotePathKeepingUnicode, shellWord } from "../../app/source/quote-path.ts";

/** The QA pass on greenops fix, item 3: one way to write a path, git's (core.quotePath, its default). */

const NAMES = [
  "plain-name.yaml",
  "with space.yaml",
  "new\nline.yaml",
  "tab\there.yaml",
  'say "hi".yaml',
  "back\\slash.yaml",
  "bell\u0007back\bvtab\u000bform\fcr\r.yaml",
  "escape\u001b[31m.yaml",
  "delete\u007f.yaml",
  "café.yaml",
  "日本.yaml",
  "emoji-🌱.yaml",
];

const dir = mkdtempSync(join(tmpdir(), "greenops-quote-"));
beforeAll(() => {
  execFileSync("git", ["init", "-q"], { cwd: dir });
  for (const name of NAMES) writeFileSync(join(dir, name), "");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("quotePath", () => {
  it("writes every name as git status does", () => {
    const listed = execFileSync("git", ["-c", "core.quotePath=true", "ls-files", "--others"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(NAMES.map(quotePath).sort()).toEqual(listed.split("\n").filter(Boolean).sort());
  });

  it("keeping Unicode, writes every name as git status does with core.quotePath=false", () => {
    const listed = execFileSync("git", ["-c", "core.quotePath=false", "ls-files", "--others"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(NAMES.map(quotePathKeepingUnicode).sort()).toEqual(listed.split("\n").filter(Boolean).sort());
  });

  it.each([
    ["environments/prod/web.yaml", "environments/prod/web.yaml"],
    ["a\nb", '"a\\nb"'],
    ["café", '"caf\\303\\251"'],
    ["\u0001", '"\\001"'],
  ])("%j is written %s", (path, quoted) => {
    expect(quotePath(path)).toBe(quoted);
  });
});

describe("shellWord", () => {
  it.each([
    ["environments/prod", "environments/prod"],
    ["team a/prod", "'team a/prod'"],
    ["it's", "'it'\\''s'"],
    ["new\nline", "$'new\\nline'"],
    ["it's\tdone", "$'it\\'s\\tdone'"],
  ])("%j is %s", (path, word) => {
    expect(shellWord(path)).toBe(word);
  });

  it("is read back by the shell as the path it was, whatever the path holds", () => {
    for (const name of [...NAMES, "it's", "$HOME/*", "a;b|c&d", "-dash"]) {
      const echoed = execFileSync("bash", ["-c", `printf %s ${shellWord(name)}`], { encoding: "utf8" });
      expect(echoed).toBe(name);
    }
  });
});
