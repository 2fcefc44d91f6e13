import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../app/engine/environments.ts";
import { fix } from "../../app/engine/fix.ts";
import { PROJECT } from "../helpers/cli.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { BASE } from "../helpers/shared-base.ts";

/**
 * greenops fix writes a file only while it still holds the text it fixed: a file changed while the
 * review ran (an editor saved it, a checkout moved) is not overwritten, nor one that became a link.
 */

const FILE = "environments/staging/web.yaml";
let repo: TempRepo;
/** A file outside the repository, which a link may point to. */
let outside: string;

beforeEach(() => {
  repo = tempRepo();
  repo.write(
    "environments/staging/greenops.yml",
    readFileSync(join(PROJECT, "environments/dev/greenops.yml")),
  );
  repo.write(FILE, BASE.replace("replicas: 6", "replicas: 3"));
  repo.commit("staging");
  repo.write(FILE, BASE);
  outside = join(mkdtempSync(join(tmpdir(), "greenops-outside-")), "web.yaml");
  writeFileSync(outside, BASE);
});
afterEach(() => {
  repo.dispose();
  rmSync(join(outside, ".."), { recursive: true, force: true });
});

/** The fix of the working tree, with `meanwhile` done once every file is read. */
const fixWhile = (meanwhile: () => void) =>
  fix(repo.root, {
    onProgress: (phase) => {
      if (phase === "reading telemetry") meanwhile();
    },
  });

describe("greenops fix writes nothing", () => {
  it.each([
    ["changed on disk", () => writeFileSync(join(repo.root, FILE), `${BASE}# saved by an editor\n`)],
    [
      "replaced by a link",
      () => {
        rmSync(join(repo.root, FILE));
        symlinkSync(outside, join(repo.root, FILE));
      },
    ],
  ])("to a file %s while the review ran", async (_, meanwhile) => {
    const current = () => readFileSync(join(repo.root, FILE), "utf8");
    let expected = "";
    await expect(
      fixWhile(() => {
        meanwhile();
        expected = current();
      }),
    ).rejects.toThrow(
      new UsageError(`${FILE} changed while GreenOps read it: nothing was written; run greenops fix again`),
    );
    expect(current()).toBe(expected);
    expect(readFileSync(outside, "utf8")).toBe(BASE);
  });

  it("and writes the fixes when nothing changed meanwhile", async () => {
    const { result } = await fixWhile(() => undefined);
    expect(result.applied.map((f) => f.policy)).toContain("replicas-cap");
    expect(readFileSync(join(repo.root, FILE), "utf8")).toContain("  replicas: 2\n");
  });
});
