import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFixes, checkEach } from "../../app/engine/apply-fixes.ts";
import { checkedEstimate } from "../../app/engine/estimate.ts";
import { type Finding, fixOf, type TextEdit } from "../../app/engine/finding.ts";
import { applyEdits } from "../../app/engine/fix-edits.ts";
import { pathScope } from "../../app/engine/fix-scope.ts";
import type { CheckedReview } from "../../app/engine/types.ts";
import { type TempRepo, tempRepo } from "../helpers/git-repo.ts";

/** In a non-production environment, where nonprod-schedule proposes its schedule too. */
const FILE = "environments/dev/web.yaml";
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2 # two zones
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: { cpu: 500m, memory: 512Mi }
            limits: { memory: 4Gi }
`;

let repo: TempRepo;
let checked: CheckedReview;

beforeAll(async () => {
  repo = tempRepo();
  repo.write("environments/dev/greenops.yml", "cloud: aws\nregion: us-east-1\ncurrency: USD\n");
  repo.write(FILE, WEB);
  checked = await checkedEstimate(repo.root);
});
afterAll(() => repo.dispose());

/** A finding whose fix replaces `needle` (its first occurrence) with `text`. */
function replacing(policy: string, needle: string, text: string, offset = 0): Finding {
  const start = WEB.indexOf(needle) + offset;
  const line = WEB.slice(0, start).split("\n").length;
  return {
    policy,
    severity: "warning",
    message: `${policy} on line ${line}`,
    resource: { id: "Deployment/shop/web", environment: "dev" },
    location: {
      file: FILE,
      startLine: line,
      startColumn: 1,
      endLine: line,
      endColumn: 1,
      startOffset: start,
      endOffset: start,
    },
    fix: {
      title: policy,
      kind: "safe",
      edits: [{ file: FILE, start, end: start + needle.length - offset, text }],
    },
  };
}

const apply = (findings: Finding[]) => applyFixes(findings, checked);

describe("applyFixes", () => {
  it("applies the policies' own fixes together, keeps comments, and says what they change", async () => {
    const own = checked.report.findings.filter((f) => f.fix);
    expect(own.map((f) => f.policy)).toEqual(["limits-ratio", "nonprod-schedule"]);
    const result = await apply(own);
    expect(result.skipped).toEqual([]);
    expect(result.applied).toEqual(own);
    const fixed = WEB.replace("limits: { memory: 4Gi }", "limits: { memory: 1Gi }").replace(
      "  namespace: shop\n",
      '  namespace: shop\n  annotations:\n    downscaler/uptime: "Mon-Fri 07:00-19:00 UTC"\n',
    );
    const edits = own.flatMap((f) => f.fix?.edits ?? []).sort((a, b) => a.start - b.start);
    expect(result.files).toEqual([{ path: FILE, text: fixed, edits }]);
    expect(result.impact.monthlyCost).toBeLessThan(0);
  });

  it("reports the monthly change of the fixes it applied", async () => {
    const result = await apply([replacing("fewer", "replicas: 2", "replicas: 1")]);
    expect(result.skipped).toEqual([]);
    expect(result.impact.monthlyCost).toBeLessThan(0);
    expect(result.impact.monthlyCarbonKg).toBeLessThan(0);
  });

  const refused: { name: string; findings: () => Finding[]; reasons: RegExp[] }[] = [
    {
      name: "a fix that overlaps an earlier one is skipped, not forced",
      findings: () => [replacing("first", "cpu: 500m", "cpu: 250m"), replacing("second", "500m", "400m")],
      reasons: [/^it overlaps the fix of first at line 18; run the fix again$/],
    },
    {
      name: "two insertions at one place overlap (their order is unknown)",
      findings: () =>
        [replacing("a", "  replicas", "  # a\n", 0), replacing("b", "  replicas", "  # b\n", 0)].map((f) => ({
          ...f,
          fix: f.fix && { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, end: e.start })) },
        })),
      reasons: [/^it overlaps the fix of a at line 7/],
    },
    {
      name: "a fix that would remove a comment",
      findings: () => [replacing("careless", "replicas: 2 # two zones", "replicas: 1")],
      reasons: [/^it would remove a comment$/],
    },
    {
      name: "a fix that breaks the YAML",
      findings: () => [replacing("broken", "replicas: 2", "replicas: [2")],
      reasons: [/^the fixed file would not be valid: /],
    },
    {
      name: "a fix that breaks the Kubernetes schema",
      findings: () => [replacing("quoted", "replicas: 2", 'replicas: "2"')],
      reasons: [
        /^the fixed file would not be valid: Deployment \/spec\/replicas must be integer \(Kubernetes schema\) \(line 7\)$/,
      ],
    },
    {
      name: "a fix that does not make its finding go away",
      findings: () => {
        const own = checked.report.findings.find((f) => f.policy === "limits-ratio") as Finding;
        return [
          {
            ...own,
            fix: replacing("x", "limits: { memory: 4Gi }", "limits: { memory: 3Gi }").fix,
          } as Finding,
        ];
      },
      reasons: [/^after the fix, limits-ratio still reports: /],
    },
  ];
  for (const { name, findings, reasons } of refused) {
    it(name, async () => {
      const result = await apply(findings());
      expect(result.skipped.map((s) => s.reason)).toEqual(reasons.map((r) => expect.stringMatching(r)));
      for (const file of result.files) expect(file.text).toContain("# two zones");
    });
  }

  const SETTINGS = "environments/dev/greenops.yml";
  /** A fix of web.yaml that also edits the environment's settings (both files the run read). */
  const acrossFiles = () => {
    const finding = replacing("both", "replicas: 2", "replicas: 1");
    const start = (checked.text(SETTINGS) ?? "").indexOf("us-east-1");
    const settings = { file: SETTINGS, start, end: start + 9, text: "us-west-2" };
    return { ...finding, fix: finding.fix && { ...finding.fix, edits: [...finding.fix.edits, settings] } };
  };
  it.each([
    ["team a/web.yaml", "team a/greenops.yml", "`greenops fix --all 'team a'` applies it"],
    ["-x/web.yaml", "-x/greenops.yml", "`greenops fix --all ./-x` applies it"],
  ])("names a command a shell reads back for PATH %j", (path, settings, command) => {
    expect(pathScope(path, "/repo", "/repo").leftOut([settings]).endsWith(command)).toBe(true);
  });

  it.each([
    ["the repository", "", [FILE, SETTINGS], undefined],
    ["the environment's folder", "environments/dev", [FILE, SETTINGS], undefined],
    [
      "the manifest alone",
      FILE,
      [],
      `it edits ${SETTINGS}, outside ${FILE}: \`greenops fix --all environments/dev\` applies it`,
    ],
    [
      "another folder",
      "environments/prod",
      [],
      `it edits ${FILE}, ${SETTINGS}, outside environments/prod: \`greenops fix --all environments\` applies it`,
    ],
  ])("with a scope of %s, a fix edits only files in it, or none (%s)", async (_, path, files, reason) => {
    const finding = acrossFiles();
    const result = await applyFixes([finding], checked, { scope: pathScope(path, repo.root, repo.root) });
    expect(result.files.map((file) => file.path).sort()).toEqual([...files].sort());
    expect(result.skipped).toEqual(reason === undefined ? [] : [{ finding, reason }]);
  });

  it("never fixes a file it did not read completely", async () => {
    const result = await applyFixes([replacing("big", "replicas: 2", "replicas: 1")], {
      ...checked,
      text: () => undefined,
    });
    expect(result).toMatchObject({
      files: [],
      applied: [],
      skipped: [{ reason: "a file it edits was not read completely" }],
    });
  });

  it("leaves out suppressed findings and findings without a fix", async () => {
    const suppressed = {
      ...replacing("quiet", "replicas: 2", "replicas: 1"),
      suppressed: {
        reason: "r",
        location: checked.report.findings[0]?.location ?? replacing("q", "kind", "kind").location,
      },
    };
    const plain = { ...replacing("plain", "replicas: 2", "replicas: 1"), fix: undefined };
    const result = await apply([suppressed, plain]);
    expect(result).toEqual({
      files: [],
      applied: [],
      skipped: [],
      impact: { monthlyCost: 0, monthlyCarbonKg: 0 },
    });
  });

  it.each([
    ["yaml-anchor", "its value is shared through a YAML anchor that an alias also reads"],
    ["not-written", "its value is not written in the file"],
    [
      "inline-patch",
      "its value is set by an inline patch in the kustomization: YAML written inside a string, which GreenOps does not edit",
    ],
    ["computed", "its value is computed when the program runs"],
  ] as const)(
    "computes a fix's edits when first read, once; one that cannot be written (%s) is skipped, said why",
    async (cause, why) => {
      let computed = 0;
      const lazy = fixOf("later", "safe", () => {
        computed++;
        return { byHand: cause };
      });
      expect(computed).toBe(0);
      const finding = { ...replacing("later", "replicas: 2", "replicas: 1"), fix: lazy };
      const result = await apply([finding]);
      expect(result.skipped.map((s) => s.reason)).toEqual([
        `later: its edit cannot be written here (${why}): make it by hand`,
      ]);
      expect(lazy.edits).toEqual([]);
      expect(computed).toBe(1);
      expect(JSON.parse(JSON.stringify(lazy))).toEqual({
        title: "later",
        kind: "safe",
        edits: [],
        byHand: cause,
      });
    },
  );
});

describe("checkEach (suggestions: each fix applied alone)", () => {
  it("checks fixes that overlap in rounds, and drops each that fails with its reason", async () => {
    const result = await checkEach(
      [
        replacing("first", "cpu: 500m", "cpu: 250m"),
        replacing("second", "500m", "400m"),
        replacing("quoted", "replicas: 2", 'replicas: "2"'),
        replacing("careless", "replicas: 2 # two zones", "replicas: 1"),
      ],
      checked,
    );
    expect(result.passed.map((f) => f.policy)).toEqual(["first", "second"]);
    expect(result.failed.map(({ finding, reason }) => [finding.policy, reason])).toEqual([
      [
        "quoted",
        "the fixed file would not be valid: Deployment /spec/replicas must be integer (Kubernetes schema) (line 7)",
      ],
      ["careless", "it would remove a comment"],
    ]);
  });
});

describe("applyEdits", () => {
  /** The edits applied one by one from the end of the text, as a reader would: what applyEdits must give. */
  const oneByOne = (text: string, edits: TextEdit[]) =>
    [...edits]
      .sort((a, b) => b.start - a.start || b.end - a.end)
      .reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
  const edit = (start: number, end: number, text: string): TextEdit => ({ file: "f.yaml", start, end, text });
  const text = "cpu: 250m\nmemory: 256Mi\n";
  const workloads = Array.from({ length: 2_000 }, (_, i) => `- name: w${i}\n  memory: 64Mi\n`).join("");

  it.each([
    ["one replacement", text, [edit(5, 9, "100m")], "cpu: 100m\nmemory: 256Mi\n"],
    [
      "edits in any order",
      text,
      [edit(23, 23, "\nlimits: {}"), edit(5, 9, "1")],
      "cpu: 1\nmemory: 256Mi\nlimits: {}\n",
    ],
    [
      "two insertions at one place: the later first",
      text,
      [edit(0, 0, "a\n"), edit(0, 0, "b\n")],
      `b\na\n${text}`,
    ],
    [
      "an insertion and a replacement at one place",
      text,
      [edit(5, 9, "1"), edit(5, 5, "'")],
      "cpu: '1\nmemory: 256Mi\n",
    ],
    [
      "a limit after each of 2,000 workloads",
      workloads,
      Array.from({ length: 2_000 }, (_, i) => {
        const at = workloads.indexOf(`  memory: 64Mi\n- name: w${i + 1}\n`);
        const end = at < 0 ? workloads.length - 1 : at + 14;
        return edit(end, end, "\n  limit: 64Mi");
      }),
      undefined,
    ],
  ])("%s", (_, original, edits, expected) => {
    const applied = applyEdits(original, edits);
    expect(applied).toBe(oneByOne(original, edits));
    if (expected !== undefined) expect(applied).toBe(expected);
  });
});
