import { spawn } from "node:child_process";
import { accessSync, constants, realpathSync } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter, join, posix } from "node:path";
import { isRecord } from "../cloud/attributes.ts";
import type { Project, ProjectIo } from "../format.ts";
import { sharedPool } from "../sandbox/programs.ts";
import { YamlFile, YamlSyntaxError } from "../yaml/yaml-file.ts";

const KUBECTL_TIMEOUT_MS = 30_000;
/** Longest error message kept from kubectl: its nested errors repeat themselves. */
const MAX_ERROR_CHARS = 400;

let onPath: string | false | undefined;

/** `kubectl` when it is on PATH (GREENOPS_KUBECTL names another binary, or `none`), looked up once. */
export function kubectlOnPath(): string | false {
  const configured = process.env.GREENOPS_KUBECTL;
  if (configured !== undefined) return configured === "" || configured === "none" ? false : configured;
  onPath ??= (process.env.PATH ?? "").split(delimiter).some((dir) => executable(join(dir, "kubectl")))
    ? "kubectl"
    : false;
  return onPath;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `kubectl kustomize` on a copy of the directory's files, with nothing of GreenOps' environment. An
 * error names repository paths only: the copy's folder and kubectl's log prefix are taken out.
 */
export async function kubectlKustomize(
  binary: string,
  project: Project,
  io: ProjectIo,
): Promise<{ objects: Record<string, unknown>[] } | { error: string }> {
  const copy = await io.materialize(project.files);
  try {
    const dir = join(copy.root, posix.dirname(project.root));
    // Kustomize roots are read together: at most one kubectl per core runs at once.
    const result = await sharedPool("kubectl", availableParallelism()).run(() =>
      run(binary, ["kustomize", dir], {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: copy.root,
        KUBECONFIG: "/dev/null",
      }),
    );
    if (result.code !== 0)
      return { error: kubectlError(result.stderr, copy.root) ?? `exit status ${result.code}` };
    const objects = new YamlFile("kustomize output", result.stdout).documents
      .map((d) => d.value)
      .filter(isRecord);
    return { objects };
  } catch (error) {
    if (error instanceof YamlSyntaxError) return { error: `unreadable output: ${error.reason}` };
    return { error: (error as Error).message };
  } finally {
    copy.dispose();
  }
}

/**
 * kubectl's last error line without its log prefix (`E1204 21:26:45.147 11279 run.go:72] "command
 * failed" err="…"`), with the copy's folder turned back into repository paths.
 */
function kubectlError(stderr: string, copyRoot: string): string | undefined {
  const last = stderr.trim().split("\n").pop()?.trim();
  if (!last) return undefined;
  const quoted = /\berr="((?:[^"\\]|\\.)*)"/.exec(last)?.[1];
  let message = quoted === undefined ? last.replace(/^(?:error|Error):\s*/, "") : unquote(quoted);
  const roots = new Set([copyRoot]);
  try {
    roots.add(realpathSync(copyRoot));
  } catch {
    // the copy is gone already: its given path is the one kubectl printed
  }
  for (const root of roots) message = message.replaceAll(`${root}/`, "").replaceAll(root, ".");
  return message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}…` : message;
}

/** A Go-quoted string's text (its escapes are JSON's for what kubectl prints). */
function unquote(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text.replaceAll('\\"', '"');
  }
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: KUBECTL_TIMEOUT_MS,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        code: signal ? 124 : code,
        stdout,
        stderr: signal ? `timed out after ${KUBECTL_TIMEOUT_MS / 1000} s` : stderr,
      }),
    );
  });
}
