import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Fixed identity and dates, so commit ids (and reports that show them) are the same on every run. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_AUTHOR_DATE: "2026-11-01T12:00:00Z",
  GIT_COMMITTER_DATE: "2026-11-01T12:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmpdir(),
};

export type TempRepo = {
  root: string;
  git(...args: string[]): string;
  write(path: string, text: string | Buffer): void;
  remove(path: string): void;
  commit(message: string): string;
  dispose(): void;
};

/** A throw-away git repository on main, optionally seeded with a copy of a directory. */
export function tempRepo(seed?: { from: string; to: string }): TempRepo {
  const root = mkdtempSync(join(tmpdir(), "greenops-test-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "commit.gpgsign=false", ...args], {
      cwd: root,
      env: { ...process.env, ...GIT_ENV },
      encoding: "utf8",
    });
  git("init", "-q", "-b", "main");
  if (seed) cpSync(seed.from, join(root, seed.to), { recursive: true });
  return {
    root,
    git,
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    remove(path) {
      rmSync(join(root, path));
    },
    commit(message) {
      git("add", "-A");
      git("commit", "-q", "-m", message);
      return git("rev-parse", "HEAD").trim();
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
