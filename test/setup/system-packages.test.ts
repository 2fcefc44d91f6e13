import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensurePackages, type Installer, SYSTEM_PACKAGES, type SystemPackage } from "./system-packages.ts";

const REDIS: SystemPackage = { name: "redis-server", commands: ["redis-server"], why: "the queue tests" };

describe("the test setup installs the Debian packages the tests need", () => {
  let dir: string;
  let logged: string[];
  let installer: Installer;

  /** A fake apt-get: it logs its arguments and the policy-rc.d in force, and "installs" into bin/. */
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "greenops-apt-"));
    mkdirSync(join(dir, "bin"));
    writeFileSync(
      join(dir, "apt-get"),
      `#!/bin/sh
echo "$* | policy: $(tail -n 1 "${join(dir, "policy-rc.d")}" 2>/dev/null)" >> "${join(dir, "calls")}"
if [ "$3" = install ] && [ -z "$FAIL_INSTALL" ]; then for p in "$@"; do touch "${join(dir, "bin")}/$p"; done; fi
`,
    );
    chmodSync(join(dir, "apt-get"), 0o755);
    logged = [];
    installer = {
      aptGet: join(dir, "apt-get"),
      policyRcd: join(dir, "policy-rc.d"),
      isRoot: true,
      hasCommand: (command) => command === join(dir, "apt-get") || existsSync(join(dir, "bin", command)),
      log: (message) => logged.push(message),
    };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const calls = () =>
    existsSync(join(dir, "calls")) ? readFileSync(join(dir, "calls"), "utf8").trim().split("\n") : [];

  it("lists every package the tests start a server of, in one place", () => {
    expect(SYSTEM_PACKAGES.map((p) => p.name)).toEqual(["prometheus", "redis-server"]);
  });

  it("does nothing when every command is on PATH", () => {
    writeFileSync(join(dir, "bin", "redis-server"), "");
    expect(ensurePackages([REDIS], installer)).toEqual([]);
    expect(calls()).toEqual([]);
  });

  it("as root, updates and installs with services forbidden, then removes its policy", () => {
    expect(ensurePackages([REDIS], installer)).toEqual(["redis-server"]);
    expect(calls()).toEqual([
      "-o DPkg::Lock::Timeout=300 update -q | policy: exit 101",
      "-o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends redis-server | policy: exit 101",
    ]);
    expect(existsSync(join(dir, "policy-rc.d"))).toBe(false);
    expect(logged).toEqual([
      "npm test: installing Debian's redis-server (the queue tests), services not started",
    ]);
  });

  it("puts the machine's own policy-rc.d back, and says when the command is still missing", () => {
    writeFileSync(join(dir, "policy-rc.d"), "#!/bin/sh\nexit 0\n");
    process.env.FAIL_INSTALL = "1";
    try {
      expect(() => ensurePackages([REDIS], installer)).toThrow("redis-server is still not on PATH");
    } finally {
      delete process.env.FAIL_INSTALL;
    }
    expect(readFileSync(join(dir, "policy-rc.d"), "utf8")).toBe("#!/bin/sh\nexit 0\n");
  });

  it("tells a user who is not root what to run", () => {
    installer.isRoot = false;
    expect(() => ensurePackages([REDIS], installer)).toThrow(
      "npm test needs Debian's redis-server (the queue tests), which is not installed. Run, as root: apt-get install -y --no-install-recommends redis-server (its service need not run), or run npm test as root to have it installed",
    );
    expect(calls()).toEqual([]);
  });

  it("says so on a system without apt-get", () => {
    installer.aptGet = "apt-get";
    expect(() => ensurePackages([REDIS], installer)).toThrow("this system has no apt-get");
  });
});
