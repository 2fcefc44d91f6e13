import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notRegularFile, unreadableReason } from "../../app/source/file-text.ts";

/** An error as node:fs throws it, for the codes a test cannot make the system return (EPERM, EIO…). */
const systemError = (code: string) => Object.assign(new Error(`${code}: open 'x.yaml'`), { code });

describe("unreadableReason", () => {
  it.each([
    ["EACCES", "permission denied (the user running GreenOps may not read it)"],
    ["EPERM", "operation not permitted (the system refuses to open it)"],
    ["EISDIR", "a folder, not a file"],
    ["ENOENT", "no such file"],
    ["EMFILE", "too many files open at once"],
    ["ENFILE", "too many files open on the system"],
    ["EIO", "input/output error from the disk"],
    ["EXDEV", "could not be opened (EXDEV)"],
  ])("%s is said as %j", (code, words) => {
    expect(unreadableReason(systemError(code))).toBe(words);
  });

  it("an error without a code is said by its message", () => {
    expect(unreadableReason(new Error("stream closed"))).toBe("could not be opened (stream closed)");
  });

  it("the codes node:fs really throws are worded", () => {
    const folder = mkdtempSync(join(tmpdir(), "greenops-file-text-"));
    const reasons = [folder, join(folder, "missing.yaml")].map((path) => {
      try {
        readFileSync(path);
        return "read";
      } catch (error) {
        return unreadableReason(error);
      }
    });
    rmSync(folder, { recursive: true });
    expect(reasons).toEqual(["a folder, not a file", "no such file"]);
  });
});

describe("notRegularFile", () => {
  let folder: string;
  let server: Server;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "greenops-file-kinds-"));
    mkdirSync(join(folder, "dir"));
    execFileSync("mkfifo", [join(folder, "fifo")]);
    server = createServer();
    await new Promise<void>((done) => server.listen(join(folder, "socket"), done));
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    rmSync(folder, { recursive: true });
  });

  it.each([
    ["dir", "a folder, not a file"],
    ["fifo", "a FIFO, not a regular file"],
    ["socket", "a socket, not a regular file"],
  ])("%s is %j", (name, words) => {
    expect(notRegularFile(statSync(join(folder, name)))).toBe(words);
  });

  it("a device is one", () => {
    expect(notRegularFile(statSync("/dev/null"))).toBe("a device, not a regular file");
  });
});
