import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { readTrailers, TRAILERS, trailerLines } from "../../app/gitops/trailers.ts";
import { readMarker, withHeldReason } from "../../app/scan/render.ts";
import { expectGolden } from "../helpers/golden.ts";
import { operatorEnv, scanRepository, stableText } from "../scan/fixture.ts";
import { pulumiProgram } from "./fixture.ts";
import { type Harness, harness } from "./harness.ts";
import { dispatchPayload } from "./payloads.ts";

let h: Harness;

beforeAll(() => {
  for (const [name, value] of Object.entries(operatorEnv(inject("prometheus").url))) vi.stubEnv(name, value);
});
afterAll(() => vi.unstubAllEnvs());
afterEach(() => h.github.assertClean());

const PROD_API = "environments/prod/shop/api.yaml";
const DEV = "environments/dev/shop/storefront.yaml";

/** main holds the shop's wasteful infrastructure; returns its head. */
function repository(): { files: Record<string, string>; main: string } {
  const files = scanRepository(inject("prometheus").url);
  const main = h.github.commit(undefined, files, "The shop's infrastructure");
  h.github.branch("main", main);
  return { files, main };
}

function pushToMain(files: Record<string, string | null>, message: string): string {
  const head = h.github.commit(h.github.branches.get("main"), files, message);
  h.github.branch("main", head);
  return head;
}

/** The dev storefront with the fixes a scan proposes, made by hand: nothing is left to fix in dev. */
function devFixedByHand(files: Record<string, string>): string {
  return (files[DEV] ?? "")
    .replace("replicas: 4", "replicas: 2")
    .replace(
      "  namespace: shop-dev\n",
      "  namespace: shop-dev\n  annotations:\n    downscaler/uptime: Mon-Fri 07:00-19:00 UTC\n",
    );
}

const scan = () => h.deliver("repository_dispatch", dispatchPayload("greenops-scan"));
/** The writes a scan makes (GraphQL's queries aside). */
async function scanWrites() {
  const before = h.github.calls().length;
  await scan();
  return h.github
    .calls()
    .slice(before)
    .filter((c) => c.write && c.template !== "/graphql");
}
const pullOf = (environment: string) =>
  [...h.github.pulls.values()].find((p) => p.head === `greenops/optimize-${environment}`);

describe("optimization pull requests from scans", () => {
  it("opens one pull request per environment, with one signed commit on top of the default branch", async () => {
    h = await harness();
    const { main } = repository();
    await scan();
    const prod = pullOf("prod");
    const dev = pullOf("dev");
    expect(prod?.title).toMatch(/^GreenOps: save \$31\.96\/month in prod$/);
    expect(dev?.title).toMatch(/^GreenOps: save \$\d+\.\d\d\/month in dev$/);
    expect([...h.github.pulls.values()]).toHaveLength(2);
    const commit = h.github.commitOf(h.github.branches.get("greenops/optimize-prod") ?? "");
    expect(commit.parents).toEqual([main]);
    expect(readTrailers(commit.message)).toMatchObject({ scan: "prod", policies: ["rightsizing"] });
    expect(h.github.blobs.get(commit.tree.get(PROD_API) ?? "")).toContain(
      "requests: { cpu: 250m, memory: 240Mi }",
    );
    expectGolden(
      "github/scan-prod-pull.md",
      stableText(`${prod?.title}\n\n${prod?.body}`, inject("prometheus").url),
    );
    // qa has no settings of its own: nothing is proposed there
    expect(pullOf("qa")).toBeUndefined();
    expect(h.github.refUpdates).toEqual([]);
  });

  it("updates its open pull request in place, keeps an up-to-date one, and closes one with nothing left", async () => {
    h = await harness();
    const { files } = repository();
    await scan();
    const prodNumber = pullOf("prod")?.number;
    const devNumber = pullOf("dev")?.number;

    // main moves elsewhere: nothing to write
    pushToMain({ "README.md": "# shop\n" }, "Docs");
    expect(await scanWrites()).toEqual([]);

    // the prod file changes on main: the branch is rebuilt on the new head, the same pull request edited
    const head = pushToMain({ [PROD_API]: `# owned by the shop team\n${files[PROD_API]}` }, "Add an owner");
    await scan();
    expect(pullOf("prod")?.number).toBe(prodNumber);
    const rebuilt = h.github.commitOf(h.github.branches.get("greenops/optimize-prod") ?? "");
    expect(rebuilt.parents).toEqual([head]);
    expect(h.github.blobs.get(rebuilt.tree.get(PROD_API) ?? "")).toMatch(/^# owned by the shop team\n/);
    expect(h.github.refUpdates.map((u) => [u.branch, u.force])).toEqual([["greenops/optimize-prod", true]]);

    // the team fixes dev by hand: nothing left, so the dev pull request is closed and its branch deleted
    pushToMain({ [DEV]: devFixedByHand(files) }, "Run dev storefront on a schedule");
    await scan();
    expect(h.github.pulls.get(devNumber ?? 0)?.state).toBe("closed");
    expect(h.github.comments.at(-1)?.body).toMatch(/^Nothing is left to fix in dev on `main`/);
    expect(h.github.branches.has("greenops/optimize-dev")).toBe(false);
    expect([...h.github.pulls.values()].filter((p) => p.state !== "closed")).toHaveLength(1);
  });

  it("does not propose again the fixes of a pull request the team closed unmerged", async () => {
    h = await harness();
    repository();
    await scan();
    const prod = pullOf("prod");
    if (!prod) throw new Error("no prod pull request");
    prod.state = "closed";
    const marker = readMarker(prod.body);
    await scan();
    const open = [...h.github.pulls.values()].filter((p) => p.state !== "closed");
    expect(open.map((p) => p.head)).toEqual(["greenops/optimize-dev"]);
    expect(readMarker(pullOf("prod")?.body)).toEqual(marker);
  });

  it.each([
    [
      "rebuilt",
      (files: Record<string, string>) => ({ [PROD_API]: `# owned by the shop team\n${files[PROD_API]}` }),
    ],
    ["reworded (a program not run)", () => program()],
  ])(
    "leaves alone a branch someone else pushed to, and its pull request, where it would be %s",
    async (_, push) => {
      h = await harness();
      const { files } = repository();
      await scan();
      const branch = "greenops/optimize-prod";
      const theirs = h.github.commit(
        h.github.branches.get(branch),
        { "notes.md": "keep 1 CPU for the sale\n" },
        "Keep 1 CPU",
      );
      h.github.branch(branch, theirs);
      const body = pullOf("prod")?.body;
      pushToMain(push(files), "Add an owner");
      await scan();
      expect(h.github.branches.get(branch)).toBe(theirs);
      expect(pullOf("prod")?.body).toBe(body);
      expect(h.github.refUpdates).toEqual([]);
      expect(
        h.logs.some((l) => l.msg === "scan" && /has a commit GreenOps did not make/.test(String(l.reason))),
      ).toBe(true);
    },
  );

  it("does not close a pull request with nothing left to fix whose branch someone else pushed to", async () => {
    h = await harness();
    const { files } = repository();
    await scan();
    const branch = "greenops/optimize-dev";
    const theirs = h.github.commit(
      h.github.branches.get(branch),
      { "notes.md": "try 3 replicas\n" },
      "Notes",
    );
    h.github.branch(branch, theirs);
    pushToMain({ [DEV]: devFixedByHand(files) }, "Run dev storefront on a schedule");
    await scan();
    expect(pullOf("dev")?.state ?? "open").toBe("open");
    expect(h.github.comments).toEqual([]);
    expect(h.github.branches.get(branch)).toBe(theirs);
  });

  it.each([
    [
      "rebuilds",
      "greenops/optimize-prod",
      (files: Record<string, string>) => ({ [PROD_API]: `#\n${files[PROD_API]}` }),
    ],
    [
      "deletes",
      "greenops/optimize-dev",
      (files: Record<string, string>) => ({ [DEV]: devFixedByHand(files) }),
    ],
  ])("never overwrites a push made after it checked the branch it %s", async (_, branch, push) => {
    h = await harness();
    const { files } = repository();
    await scan();
    pushToMain(push(files), "Change on main");
    let theirs: string | undefined;
    h.github.onMutation = () => {
      if (theirs) return;
      theirs = h.github.commit(h.github.branches.get(branch), { "notes.md": "mine\n" }, "Notes");
      h.github.branch(branch, theirs);
    };
    await scan();
    expect(theirs).toBeDefined();
    expect(h.github.branches.get(branch)).toBe(theirs);
    expect(h.github.refUpdates).toEqual([]);
    expect(
      h.logs.some((l) => l.msg === "scan" && /moved while GreenOps updated it/.test(String(l.reason))),
    ).toBe(true);
  });

  it("runs on a schedule, each installed repository at most once per interval; other dispatches and disabled scans do nothing", async () => {
    h = await harness({ env: { GREENOPS_SCAN_INTERVAL: "24h" } });
    const { files } = repository();
    const schedule = h.app.schedule();
    if (!schedule) throw new Error("no schedule");
    schedule.stop();
    expect(await schedule.due(Date.parse("2026-11-20T00:00:00Z"))).toBe(1);
    await h.app.idle();
    expect(h.github.pulls.size).toBe(2);
    expect(await schedule.due(Date.parse("2026-11-20T12:00:00Z"))).toBe(0);
    expect(await schedule.due(Date.parse("2026-11-21T00:00:01Z"))).toBe(1);
    await h.app.idle();

    const calls = h.github.calls().length;
    await h.deliver("repository_dispatch", dispatchPayload("deploy-docs"));
    expect(h.github.calls().length).toBe(calls);
    pushToMain(
      { ".github/greenops.yml": "scan:\n  enabled: false\n", [PROD_API]: `#\n${files[PROD_API]}` },
      "No scans",
    );
    await scan();
    expect(
      h.github
        .calls()
        .slice(calls)
        .filter((c) => c.write),
    ).toEqual([]);
  });
});

/** The shop's Pulumi program, with a dev stack too; its programs run only when main's settings opt in. */
const program = () => ({
  ...pulumiProgram("t3.micro"),
  "infra/Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n",
});
const REFUSED = `> Not evaluated: the program of \`infra/Pulumi.yaml\`, since repository programs run only when .github/greenops.yml on main sets \`programs: { run: true }\`. Its resources are missing from these figures.`;

describe("scans whose programs were not run", () => {
  it("say so in every pull request, and reword one whose body said otherwise", async () => {
    h = await harness();
    repository();
    await scan();
    const opened = [...h.github.pulls.values()];
    expect(opened.map((p) => p.body?.includes("Not evaluated"))).toEqual([false, false]);

    const heads = opened.map((p) => h.github.branches.get(p.head));
    const first = h.github.branches.get("main") ?? "";
    const second = pushToMain(program(), "The shop's AWS program");
    await scan();
    expect([...h.github.pulls.values()].map((p) => [p.number, p.state])).toEqual(
      opened.map((p) => [p.number, "open"]),
    );
    // The same fixes, so the same files: only the bodies change, the branches stay where they were.
    expect(opened.map((p) => h.github.branches.get(p.head))).toEqual(heads);
    for (const pull of h.github.pulls.values()) {
      expect(pull.body).toContain(REFUSED);
      expect(pull.body).toContain(`GreenOps scanned \`main\` at \`${second.slice(0, 7)}\` and found `);
      expect(pull.body).toContain(
        `The branch was built on \`${first.slice(0, 7)}\` and not rebuilt: the scan of \`${second.slice(0, 7)}\` found the same fixes, giving the same files.`,
      );
    }
    const outcomes = h.logs
      .filter((l) => l.msg === "GreenOps run" && l.kind === "scan")
      .map((l) => l.outcome);
    expect(outcomes.at(-1)).toMatch(/: dev: updated #\d+, prod: updated #\d+; 1 program not evaluated$/);

    // The same programs cut for the same reason: nothing to write.
    expect(await scanWrites()).toEqual([]);
  });

  const held = (doing: string) =>
    `it edits the program of infra/Pulumi.yaml, which this scan did not evaluate (repository programs run only when .github/greenops.yml on main sets \`programs: { run: true }\`): GreenOps ${doing}`;

  it.each([
    {
      case: "keep open one that edits such a program: its fixes were not looked at",
      edits: "infra/Pulumi.dev.yaml",
      devNeedsFixes: false,
      state: "open",
      reason: held("keeps it open"),
    },
    {
      case: "close one that edits none, as before",
      edits: DEV,
      devNeedsFixes: false,
      state: "closed",
      reason: undefined,
    },
    {
      case: "leave as it is one that edits such a program, though the scan found other fixes: a rebuild would drop the program's",
      edits: "infra/Pulumi.dev.yaml",
      devNeedsFixes: true,
      state: "open",
      reason: held("leaves it as it is rather than drop those fixes"),
    },
  ])("$case", async ({ edits, devNeedsFixes, state, reason }) => {
    h = await harness();
    const files: Record<string, string> = { ...scanRepository(inject("prometheus").url), ...program() };
    // Unless it needs fixes, dev's storefront runs two replicas on a schedule
    if (!devNeedsFixes)
      files[DEV] = (files[DEV] ?? "")
        .replace("replicas: 4", "replicas: 2")
        .replace(
          "  namespace: shop-dev\n",
          "  namespace: shop-dev\n  annotations:\n    downscaler/uptime: Mon-Fri 07:00-19:00 UTC\n",
        );
    const main = h.github.commit(undefined, files, "The shop's infrastructure");
    h.github.branch("main", main);
    const number = scanPullLeftOpen(main, edits, `${files[edits] ?? ""}# lowered by GreenOps\n`);
    const head = h.github.branches.get("greenops/optimize-dev");
    const body = h.github.pulls.get(number)?.body;

    await scan();
    expect(h.github.pulls.get(number)?.state).toBe(state);
    const kept = h.logs.find((l) => l.msg === "scan" && l.environment === "dev");
    expect(kept?.reason).toBe(reason);
    if (reason) {
      expect(h.github.branches.get("greenops/optimize-dev")).toBe(head);
      // Only the body changes: it says why, once; the next scan, for the same reason, writes nothing.
      expect(h.github.pulls.get(number)?.body).toBe(withHeldReason(body ?? "", reason));
      expect(h.github.comments).toEqual([]);
      console.log(JSON.stringify(h.logs.filter((l) => l.msg === "scan")));
      expect(await scanWrites()).toEqual([]);
    } else {
      expect(h.github.branches.has("greenops/optimize-dev")).toBe(false);
      expect(h.github.comments.at(-1)?.body).toMatch(/^Nothing is left to fix in dev on `main`/);
    }
  });
});

/** A dev pull request an earlier scan opened: GreenOps' one commit on `main`, editing `path`. */
function scanPullLeftOpen(main: string, path: string, text: string): number {
  const message = [
    "GreenOps: save $21.40/month in dev",
    `- replicas-cap: Lower replicas (${path}:1)`,
    [
      `${TRAILERS.scan}: dev`,
      ...trailerLines(["replicas-cap"], { monthlyCost: -21.4, monthlyCarbonKg: -0.31 }),
    ].join("\n"),
  ].join("\n\n");
  h.github.branch("greenops/optimize-dev", h.github.commit(main, { [path]: text }, message));
  h.github.pull(9, { base: "main", head: "greenops/optimize-dev", author: "greenops[bot]" });
  const pull = h.github.pulls.get(9);
  if (!pull) throw new Error("no pull request #9");
  pull.title = "GreenOps: save $21.40/month in dev";
  pull.body =
    "GreenOps scanned `main`.\n\n<!-- greenops:scan environment=dev fixes=5d99a531a2fa content=94f15cc3547238b0 -->\n";
  pull.state = "open";
  return 9;
}
