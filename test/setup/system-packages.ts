/**
 * What `npm test` needs from the system besides npm: Debian packages, installed by the test setup
 * itself (vitest globalSetup) when they are missing, so that on a fresh machine `npm ci` then
 * `npm test` pass. As root, apt-get installs them with their services not started; otherwise the
 * setup stops with the command to run.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export type SystemPackage = {
  /** The Debian package. */
  name: string;
  /** Commands on PATH that show it is installed. */
  commands: string[];
  /** Which tests need it. */
  why: string;
};

/** Every Debian package the tests need: the one list to extend. */
export const SYSTEM_PACKAGES: SystemPackage[] = [
  {
    name: "prometheus",
    commands: ["prometheus", "promtool"],
    why: "the telemetry tests start a real Prometheus",
  },
  { name: "redis-server", commands: ["redis-server"], why: "the service tests start a real Redis" },
];

export type Installer = {
  aptGet: string;
  /** Debian's hook that lets or forbids package scripts to start services (invoke-rc.d asks it). */
  policyRcd: string;
  isRoot: boolean;
  hasCommand(command: string): boolean;
  log(message: string): void;
};

export const SYSTEM: Installer = {
  aptGet: "apt-get",
  policyRcd: "/usr/sbin/policy-rc.d",
  isRoot: process.getuid?.() === 0,
  hasCommand: onPath,
  log: (message) => process.stderr.write(`${message}\n`),
};

function onPath(command: string): boolean {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .some((dir) => dir !== "" && existsSync(join(dir, command)));
}

/** The packages of `packages` that are not installed. */
export function missingPackages(packages: SystemPackage[], installer: Installer = SYSTEM): SystemPackage[] {
  return packages.filter((p) => !p.commands.every((command) => installer.hasCommand(command)));
}

/**
 * Installs what is missing of `packages` (none: nothing happens), or throws what to do. Services stay
 * stopped: for the duration of apt-get, policy-rc.d answers 101 ("action forbidden"), then the
 * machine's own policy (if any) is put back.
 */
export function ensurePackages(
  packages: SystemPackage[] = SYSTEM_PACKAGES,
  installer: Installer = SYSTEM,
): string[] {
  const missing = missingPackages(packages, installer);
  if (missing.length === 0) return [];
  const names = missing.map((p) => p.name);
  const needs = missing.map((p) => `Debian's ${p.name} (${p.why})`).join(", ");
  const command = `apt-get install -y --no-install-recommends ${names.join(" ")}`;
  if (!installer.hasCommand(installer.aptGet))
    throw new Error(
      `npm test needs ${needs}, and this system has no apt-get: install ${names.join(", ")} yourself`,
    );
  if (!installer.isRoot)
    throw new Error(
      `npm test needs ${needs}, which is not installed. Run, as root: ${command} (its service need not run), or run npm test as root to have it installed`,
    );
  installer.log(`npm test: installing ${needs}, services not started`);
  withServicesForbidden(installer.policyRcd, () => {
    apt(installer.aptGet, ["update", "-q"]);
    apt(installer.aptGet, ["install", "-y", "-q", "--no-install-recommends", ...names]);
  });
  const still = missingPackages(missing, installer);
  if (still.length > 0)
    throw new Error(
      `apt-get installed ${names.join(" ")} but ${still.map((p) => p.commands.join(", ")).join(", ")} is still not on PATH`,
    );
  return names;
}

function apt(aptGet: string, args: string[]): void {
  const run = spawnSync(aptGet, ["-o", "DPkg::Lock::Timeout=300", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (run.status !== 0)
    throw new Error(
      `apt-get ${args.join(" ")} failed (${run.status ?? run.signal}): ${run.stderr.trim().split("\n").slice(-3).join(" ")}`,
    );
}

function withServicesForbidden(policy: string, action: () => void): void {
  const backup = existsSync(policy)
    ? join(mkdtempSync(join(tmpdir(), "greenops-policy-rc-")), "policy-rc.d")
    : undefined;
  if (backup) copyFileSync(policy, backup);
  writeFileSync(policy, "#!/bin/sh\n# npm test: no service starts while it installs packages\nexit 101\n");
  chmodSync(policy, 0o755);
  try {
    action();
  } finally {
    if (backup) {
      copyFileSync(backup, policy);
      rmSync(join(backup, ".."), { recursive: true, force: true });
    } else rmSync(policy, { force: true });
  }
}

/** vitest globalSetup: before any test file runs. */
export default function setup(): void {
  ensurePackages();
}
