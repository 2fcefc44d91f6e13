import { afterAll, expect, it } from "vitest";
import { greenops } from "../helpers/cli.ts";
import { tempRepo } from "../helpers/git-repo.ts";

const repo = tempRepo();
repo.write("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\n");
repo.commit("a Deployment");
afterAll(() => repo.dispose());

it("reports the run's own peak memory, not that of the process that started it", () => {
  // Resident in this process when the CLI is forked: getrusage's maxrss would count it as the run's.
  const held = Buffer.alloc(400 * 1024 * 1024, 1);
  const run = greenops(repo.root, "estimate", ".", "--stats", "--quiet", "-o", "/dev/null");
  expect(held.length).toBeGreaterThan(0);
  expect(run.status).toBe(0);
  const peak = Number(/peak RSS (\d+) MB/.exec(run.stderr)?.[1]);
  expect(peak).toBeGreaterThan(20);
  expect(peak).toBeLessThan(300);
});
