import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import type { CheckedReview } from "../../app/engine/types.ts";
import { proposeFixes } from "../../app/scan/plan.ts";
import { declinedFingerprints, heldAsItIs, reconcile } from "../../app/scan/reconcile.ts";
import {
  markerOf,
  readMarker,
  scanBody,
  scanCommitMessage,
  scanTitle,
  withHeldReason,
} from "../../app/scan/render.ts";
import { environmentKind, scanCandidates } from "../../app/scan/select.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";
import { expectGolden } from "../helpers/golden.ts";
import { operatorEnv, scanRepository, stableText } from "./fixture.ts";

let repo: TempRepo;
let checked: CheckedReview;

beforeAll(async () => {
  for (const [name, value] of Object.entries(operatorEnv(inject("prometheus").url))) vi.stubEnv(name, value);
  repo = tempRepo();
  for (const [path, text] of Object.entries(scanRepository(inject("prometheus").url))) repo.write(path, text);
  repo.commit("the shop's infrastructure");
  checked = await checkedEstimate(repo.root, { ref: "HEAD" });
});

afterAll(() => {
  repo.dispose();
  vi.unstubAllEnvs();
});

const summary = (list: { finding: { policy: string; resource?: { id: string } } }[]) =>
  list.map((c) => `${c.finding.policy} ${c.finding.resource?.id}`);

describe("what a scan proposes", () => {
  it("tells environments of known kind from those without their own settings", () => {
    expect(["prod", "dev", "qa"].map((name) => environmentKind(checked.report, name))).toEqual([
      "production",
      "non-production",
      "unknown",
    ]);
  });

  it("rightsizing backed by telemetry, schedules and replica caps outside production; never what the cluster refuses", async () => {
    const { environments, excluded } = await scanCandidates(checked, {});
    expect(summary(environments.get("prod") ?? [])).toEqual([
      "rightsizing Deployment/shop/api",
      "rightsizing Deployment/shop/idle-worker",
    ]);
    expect(summary(environments.get("dev") ?? [])).toEqual([
      "nonprod-schedule Deployment/shop-dev/storefront",
      "replicas-cap Deployment/shop-dev/storefront",
    ]);
    expect([...environments.keys()].sort()).toEqual(["dev", "prod"]);
    const reasons = excluded.map((e) => `${e.finding.policy} ${e.finding.resource?.id}: ${e.reason}`);
    // qa has no settings of its own: its kind is unknown, and nothing there is ever proposed
    const scanned = new Set(["rightsizing", "nonprod-schedule", "replicas-cap"]);
    const qa = checked.report.findings.filter(
      (f) => f.resource?.id.includes("shop-qa") && scanned.has(f.policy),
    );
    for (const finding of qa) expect(excluded.map((e) => e.finding)).toContain(finding);
    // storage-class (a claim's class cannot change on an existing claim) is not a scan policy at all
    expect(reasons.some((r) => r.startsWith("storage-class"))).toBe(false);
  });

  it("follows scan: settings within the rule", async () => {
    const only = await scanCandidates(checked, {
      policies: ["replicas-cap"],
      environments: ["dev"],
      maxFixesPerPullRequest: 1,
    });
    expect(summary(only.environments.get("dev") ?? [])).toEqual([
      "replicas-cap Deployment/shop-dev/storefront",
    ]);
    expect(only.environments.has("prod")).toBe(false);
  });

  it("verifies each environment's fixes through the engine and renders its pull request", async () => {
    const { environments } = await scanCandidates(checked, {});
    const { proposals } = await proposeFixes(checked, environments);
    expect(proposals.map((p) => [p.environment, p.kind, p.fixes.length])).toEqual([
      ["dev", "non-production", 2],
      ["prod", "production", 2],
    ]);
    const prod = proposals[1];
    if (!prod) throw new Error("no prod proposal");
    expect(prod.result.impact.monthlyCost).toBeLessThan(0);
    expect(scanTitle(prod)).toMatch(/^GreenOps: save \$\d+\.\d\d\/month in prod$/);
    expect(prod.result.files.map((f) => f.path)).toEqual([
      "environments/prod/shop/api.yaml",
      "environments/prod/shop/idle-worker.yaml",
    ]);
    expect(prod.result.files[0]?.text).toContain("requests: { cpu: 250m, memory: 240Mi } # sized at launch");
    const body = scanBody(prod, { branch: "main", commit: "9b1806bf4c66" });
    expectGolden("scan/prod-body.md", stableText(body, inject("prometheus").url));
    const message = scanCommitMessage(prod);
    expectGolden("scan/prod-commit-message.txt", `${message.headline}\n\n${message.body}\n`);
    expect(readMarker(scanBody(prod, { branch: "main", commit: "abc" }))).toEqual(markerOf(prod));
  });

  it("keeps an up-to-date pull request, updates a stale one, closes one with nothing left, and remembers declined fixes", async () => {
    const { environments } = await scanCandidates(checked, {});
    const { proposals } = await proposeFixes(checked, environments);
    const dev = proposals[0];
    if (!dev) throw new Error("no dev proposal");
    const open = { number: 3, state: "open" as const, merged: false, headSha: "1".repeat(40), body: "" };
    expect(reconcile("dev", dev, [{ ...open, marker: markerOf(dev) }]).kind).toBe("keep");
    expect(reconcile("dev", dev, [{ ...open, marker: { ...markerOf(dev), content: "0" } }]).kind).toBe(
      "update",
    );
    expect(reconcile("dev", dev, []).kind).toBe("open");
    expect(reconcile("dev", undefined, [{ ...open, marker: markerOf(dev) }]).kind).toBe("close");
    const closed = { ...open, state: "closed" as const, marker: markerOf(dev) };
    const declined = declinedFingerprints([
      closed,
      { ...closed, number: 4, merged: true, marker: { ...markerOf(dev), fingerprints: ["f00"] } },
    ]);
    expect([...declined]).toEqual(markerOf(dev).fingerprints);
    const again = await scanCandidates(checked, {}, (name) => (name === "dev" ? declined : new Set()));
    expect([...again.environments.keys()]).toEqual(["prod"]);
    expect(again.excluded.filter((e) => e.reason.startsWith("declined"))).toHaveLength(2);
  });
});

describe("a scan whose programs were not run", () => {
  const refusal =
    "repository programs run only when .github/greenops.yml on main sets `programs: { run: true }`";
  const limit = "it ran past each program's time limit (20 s) and was stopped";
  const unevaluated = {
    files: ["infra/Pulumi.yaml", "platform/eks/Pulumi.prod.yaml"],
    reasons: [
      { reason: refusal, files: ["infra/Pulumi.yaml"] },
      { reason: limit, files: ["platform/eks/Pulumi.prod.yaml"] },
    ],
  };

  async function prodProposal() {
    const { environments } = await scanCandidates(checked, {});
    const { proposals } = await proposeFixes(checked, environments);
    const prod = proposals.find((p) => p.environment === "prod");
    if (!prod) throw new Error("no prod proposal");
    return prod;
  }

  it("says which, and why, in its pull request's body, and its marker remembers it", async () => {
    const prod = { ...(await prodProposal()), unevaluated };
    const body = scanBody(prod, { branch: "main", commit: "9b1806bf4c66" });
    expectGolden("scan/prod-body-unevaluated.md", stableText(body, inject("prometheus").url));
    expect(readMarker(body)).toEqual(markerOf(prod));
    expect(markerOf(prod).unevaluated).toMatch(/^[0-9a-f]{16}$/);
  });

  const refused = {
    files: ["infra/Pulumi.yaml"],
    reasons: [{ reason: refusal, files: ["infra/Pulumi.yaml"] }],
  };
  const open = { number: 3, state: "open" as const, merged: false, headSha: "1".repeat(40), body: "" };

  // A body that names no program has the marker bodies had before markers named programs.
  it.each([
    ["names none, and every program ran", "keep", undefined, undefined],
    ["names none, and programs were cut", "reword", undefined, unevaluated],
    ["names the programs cut, for the same reasons", "keep", unevaluated, unevaluated],
    ["names more programs than were cut", "reword", unevaluated, refused],
    ["names programs, and every program ran", "reword", unevaluated, undefined],
  ])("an open pull request with the same fixes whose body %s is: %s", async (_, kind, written, now) => {
    const ran = await prodProposal();
    const body = scanBody({ ...ran, unevaluated: written }, { branch: "main", commit: "abc" });
    expect(body.includes(" unevaluated=")).toBe(written !== undefined);
    const marker = readMarker(body);
    expect(reconcile("prod", { ...ran, unevaluated: now }, [{ ...open, marker }]).kind).toBe(kind);
  });

  it("says in the body why a scan left a pull request as it is, once, above the marker; a later scan that would keep it rewords it", async () => {
    const prod = { ...(await prodProposal()), unevaluated };
    const body = scanBody(prod, { branch: "main", commit: "abc" });
    const held = withHeldReason(
      body,
      "it edits the program of infra/Pulumi.yaml, which this scan did not evaluate",
    );
    expect(held).toContain(
      "> The latest scan left this pull request as it is: it edits the program of infra/Pulumi.yaml, which this scan did not evaluate.\n<!-- /greenops:held -->\n\n<!-- greenops:scan ",
    );
    expect(
      withHeldReason(held, "it edits the program of infra/Pulumi.yaml, which this scan did not evaluate"),
    ).toBe(held);
    const again = withHeldReason(held, "another reason");
    expect(again.match(/greenops:held -->/g)).toHaveLength(2);
    expect(again).toContain("left this pull request as it is: another reason.");
    expect(readMarker(again)).toEqual(markerOf(prod));
    expect(reconcile("prod", prod, [{ ...open, body, marker: readMarker(body) }]).kind).toBe("keep");
    expect(reconcile("prod", prod, [{ ...open, body: held, marker: readMarker(held) }]).kind).toBe("reword");
  });

  it("says, in a reworded body, which commit the unchanged branch was built on", async () => {
    const prod = await prodProposal();
    const line = (body: string) => body.split("\n").find((l) => l.startsWith("The branch was built on"));
    expect(line(scanBody(prod, { branch: "main", commit: "b".repeat(40), builtOn: "a".repeat(40) }))).toBe(
      "The branch was built on `aaaaaaa` and not rebuilt: the scan of `bbbbbbb` found the same fixes, giving the same files.",
    );
    expect(
      line(scanBody(prod, { branch: "main", commit: "b".repeat(40), builtOn: "b".repeat(40) })),
    ).toBeUndefined();
    expect(line(scanBody(prod, { branch: "main", commit: "b".repeat(40) }))).toBeUndefined();
  });

  it.each([
    ["a manifest", ["environments/dev/shop/storefront.yaml"], unevaluated, undefined],
    [
      "a stack's settings",
      ["infra/Pulumi.dev.yaml"],
      unevaluated,
      `it edits the program of infra/Pulumi.yaml, which this scan did not evaluate (${refusal}): GreenOps keeps it open`,
    ],
    [
      "a manifest and a program's source",
      ["environments/dev/shop/storefront.yaml", "platform/eks/index.ts"],
      unevaluated,
      `it edits the program of platform/eks/Pulumi.prod.yaml, which this scan did not evaluate (${limit}): GreenOps keeps it open`,
    ],
    [
      "files in folders that only begin alike",
      ["infrastructure/index.ts", "platform/index.ts"],
      unevaluated,
      undefined,
    ],
    [
      "anything, when the program is at the root",
      ["environments/dev/shop/storefront.yaml"],
      { files: ["Pulumi.yaml"], reasons: [{ reason: refusal, files: ["Pulumi.yaml"] }] },
      `it edits the program of Pulumi.yaml, which this scan did not evaluate (${refusal}): GreenOps keeps it open`,
    ],
  ])(
    "a pull request with nothing left to propose, or to be rebuilt, that edits %s",
    (_, edited, programs, reason) => {
      expect(heldAsItIs("close", edited, programs)).toBe(reason);
      expect(heldAsItIs("update", edited, programs)).toBe(
        reason?.replace("keeps it open", "leaves it as it is rather than drop those fixes"),
      );
    },
  );
});
