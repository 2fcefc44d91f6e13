import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { gitRevision, workingTree } from "../../app/source/snapshot.ts";
import { findWords, PART_CHARS, wordPatterns } from "../../app/source/word-search.ts";
import { tempRepo } from "../helpers/git-repo.ts";

const deployment = (name: string, namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  template:
    spec:
      containers: [{ name: app, image: "ghcr.io/example/${name}:1.4.0" }]
`;

/** Files and the words searched in them; each search must find what `git grep -F -w` finds. */
const CASES: { name: string; files: Record<string, string>; words: string[] }[] = [
  {
    name: "names that are prefixes of other names",
    files: {
      "apps/svc-10.yaml": deployment("svc-10", "team-1"),
      "apps/svc-1-config.yaml": "kind: ConfigMap\nmetadata: { name: svc-1-config }\n",
      "apps/web.yaml": `${deployment("web-api-v2", "web")}---\n${deployment("web-api", "web")}`,
      "apps/webhook.yaml": deployment("webhook", "payments"),
    },
    words: ["svc-1", "svc-10", "web", "web-api", "web-api-v2"],
  },
  {
    name: "names with dots and dashes, which must match as they are written",
    files: {
      "argo/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\n",
      "argo/not-app.yaml": "apiVersion: argoprojXio/v1alpha1\n",
      "cache/redis.yaml": deployment("redis.cache-v1", "cache"),
      "cache/redis-v2.yaml": deployment("redis.cache-v12", "cache"),
    },
    words: ["argoproj.io", "redis.cache-v1", "cache"],
  },
  {
    name: "names at the start and end of lines and of files, and in quotes",
    files: {
      "start.yaml": "svc-2: enabled\n",
      "end.yaml": "targets:\n- svc-3",
      "quoted.json": '{ "name": "svc-4", "other": \'svc-5\' }\n',
      "not-words.yaml": 'name: "svc-4x"\nref: my_svc-5\nnext: svc-3_old\nnumbered: 2svc-2\n',
      "second.yaml": "list: svc-5x svc-5\n",
    },
    words: ["svc-2", "svc-3", "svc-4", "svc-5"],
  },
  {
    name: "kinds and names searched together, characters a pattern would read as syntax",
    files: {
      "hpa.yaml":
        "kind: HorizontalPodAutoscaler\nspec:\n  scaleTargetRef: { kind: Deployment, name: checkout }\n",
      "limits.yaml": "kind: LimitRange\nmetadata: { namespace: shop }\n---\nkind: LimitRangeList\n",
      "odd.yaml": "a: (x)\nb: c+d\nc: $HOME\nd: [y]\ne: checkout^2\n",
    },
    words: ["HorizontalPodAutoscaler", "LimitRange", "checkout", "c+d", "(x)", "$HOME", "[y]"],
  },
];

const repo = tempRepo();
for (const { name, files } of CASES)
  for (const [path, text] of Object.entries(files)) repo.write(`${name.replace(/\W+/g, "-")}/${path}`, text);
repo.commit("the cases");
afterAll(() => repo.dispose());

/** What git finds with a fixed pattern per word, as the searches ran before tries. */
function fixedWords(mode: "-l" | "-o", words: string[]): string {
  try {
    const patterns = words.flatMap((word) => ["-e", word]);
    return execFileSync("git", ["grep", mode, "-z", "-I", "-F", "-w", "--full-name", ...patterns, "--"], {
      cwd: repo.root,
      encoding: "utf8",
    });
  } catch (error) {
    if ((error as { status?: number }).status === 1) return "";
    throw error;
  }
}

function expected(words: string[]): { files: Set<string>; words: Map<string, Set<string>> } {
  const found = new Map<string, Set<string>>();
  for (const line of fixedWords("-o", words).split("\n").filter(Boolean)) {
    const [path = "", word = ""] = line.split("\0");
    found.set(path, new Set([...(found.get(path) ?? []), word]));
  }
  return { files: new Set(fixedWords("-l", words).split("\0").filter(Boolean)), words: found };
}

const sorted = (found: Map<string, Set<string>>) =>
  new Map([...found].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, words]) => [path, [...words].sort()]));

describe("whole-word searches find what git grep -F -w finds", () => {
  const snapshots = () => [workingTree(repo.root, true), gitRevision(repo.root, "HEAD")];

  it.each(CASES)("$name", async ({ words }) => {
    const { files, words: found } = expected(words);
    expect(files.size).toBeGreaterThan(0);
    for (const snapshot of snapshots()) {
      expect(await snapshot.grep(words), snapshot.label).toEqual(files);
      expect(sorted(await snapshot.grepWords(words)), snapshot.label).toEqual(sorted(found));
    }
    // the App's snapshot searches the texts it has read
    const tree = workingTree(repo.root, true);
    const texts = await tree.read(await tree.list());
    expect(sorted(findWords(texts, words))).toEqual(sorted(found));
  });

  it("reads and searches the files itself when git cannot run Perl-compatible patterns", async () => {
    const bin = mkdtempSync(join(tmpdir(), "greenops-git-"));
    const real = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(
      join(bin, "git"),
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = -P ] && { echo "fatal: cannot use Perl-compatible regexes when not compiled with USE_LIBPCRE" >&2; exit 128; }; done\nexec ${real} "$@"\n`,
    );
    chmodSync(join(bin, "git"), 0o755);
    vi.stubEnv("PATH", `${bin}:${process.env.PATH}`);
    try {
      for (const { words } of CASES) {
        const { files, words: found } = expected(words);
        for (const snapshot of snapshots()) {
          expect(await snapshot.grep(words), snapshot.label).toEqual(files);
          expect(sorted(await snapshot.grepWords(words)), snapshot.label).toEqual(sorted(found));
        }
      }
    } finally {
      vi.unstubAllEnvs();
      rmSync(bin, { recursive: true });
    }
  });

  it("says what git said when a search fails, rather than answering that nothing was found", async () => {
    await expect(gitRevision(repo.root, "no-such-branch").grep(["svc-1"])).rejects.toThrow(/no-such-branch/);
  });
});

describe("a search for thousands of names", () => {
  // Names with dots: each is escaped, the longest patterns a part can hold
  const names = Array.from({ length: 10_000 }, (_, n) => `api.v${n % 7}.svc-${n}.team-${n % 40}.internal`);

  it("is a few patterns, each small enough for PCRE2, that find every name", async () => {
    const patterns = wordPatterns(names);
    expect(patterns.length).toBeLessThanOrEqual(Math.ceil((names.join("").length * 2) / PART_CHARS));
    for (const pattern of patterns) expect(pattern.length).toBeLessThan(PART_CHARS * 1.5);
    const large = tempRepo();
    try {
      const picked = [0, 1, 4_999, 9_999];
      for (const n of picked) large.write(`svc-${n}.yaml`, `host: ${names[n]}\n`);
      large.write("near-miss.yaml", `host: ${names[10]}x\nother: ${names[11]?.replaceAll(".", "-")}\n`);
      large.commit("hosts");
      const files = await workingTree(large.root, true).grep(names);
      expect(files).toEqual(new Set(picked.map((n) => `svc-${n}.yaml`)));
      const found = await gitRevision(large.root, "HEAD").grepWords(names);
      expect(found.get("svc-4999.yaml")).toEqual(new Set([names[4_999]]));
    } finally {
      large.dispose();
    }
  });
});
