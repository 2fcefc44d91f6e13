import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../model/span.ts";
import { Disk } from "../../source/disk.ts";
import { isRecord } from "../cloud/attributes.ts";
import type { ParseResult, Project, ProjectIo, ProjectReader } from "../format.ts";
import { BundleError, bundleProgram } from "../sandbox/bundle.ts";
import { cutShortDiagnostic, notRunDiagnostic } from "../sandbox/programs.ts";
import { sandboxEnv } from "../sandbox/sandbox.ts";
import { parseTerraformJson } from "./parse.ts";

const APP_FILE = /(^|\/)cdktf\.json$/;
const HARNESS = fileURLToPath(new URL("../sandbox/child/cdktf-harness.ts", import.meta.url));
const NODE_MODULES = fileURLToPath(new URL("../../../node_modules", import.meta.url));
/** The context key of cdktf.json by which a repository lets GreenOps synthesize its app. */
export const OPT_IN = "greenops:synth";

/**
 * CDKTF (and cdktn) apps whose synthesized stacks are not committed: with the repository's consent
 * (`"context": { "greenops:synth": true }` in cdktf.json), GreenOps runs the app's entry as
 * `cdktf synth` would, in a sandboxed child process whose only writable path is the output
 * directory, and reads the stacks it wrote. Apps with committed output are read from it instead.
 */
export const cdktfSynth: ProjectReader = {
  async find(io) {
    return io.paths
      .filter((path) => APP_FILE.test(path) && !hasOutput(path, io.paths))
      .map((root) => {
        const dir = posix.dirname(root);
        const prefix = dir === "." ? "" : `${dir}/`;
        const files = io.paths.filter(
          (p) => p.startsWith(prefix) && !/(^|\/)(node_modules|cdktf\.out)\//.test(p.slice(prefix.length)),
        );
        return { root, files, consumes: files.filter((p) => !/\.ya?ml$/i.test(p)), program: true };
      });
  },
  evaluate: synthesize,
};

function hasOutput(root: string, paths: string[]): boolean {
  const dir = posix.dirname(root);
  const prefix = dir === "." ? "" : `${dir}/`;
  return paths.some((p) => p.startsWith(prefix) && /(^|\/)cdk\.tf\.json$/.test(p));
}

async function synthesize(project: Project, io: ProjectIo): Promise<ParseResult> {
  const notice = (severity: Diagnostic["severity"], message: string): ParseResult => ({
    resources: [],
    diagnostics: [{ file: project.root, line: 1, severity, message }],
  });
  const [file] = await io.read([project.root]);
  if (!file || "skipped" in file) return notice("error", "cdktf.json could not be read");
  let config: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(file.text);
    config = isRecord(parsed) ? parsed : {};
  } catch {
    return notice("error", "cdktf.json is not valid JSON; the app is not estimated");
  }
  const context = isRecord(config.context) ? config.context : {};
  if (context[OPT_IN] !== true) {
    return notice(
      "notice",
      `no synthesized cdk.tf.json for this CDKTF app: commit cdktf.out, or set "context": { "${OPT_IN}": true } in cdktf.json to let GreenOps synthesize it in a sandbox`,
    );
  }
  if (!io.options.runPrograms) {
    const refused = notRunDiagnostic(project.root, "the CDKTF app is not synthesized", io.options.refusal);
    return { resources: [], diagnostics: [refused] };
  }
  const entry =
    typeof config.app === "string" ? /[\w./-]+\.(?:ts|mts|js|mjs|cjs)\b/.exec(config.app)?.[0] : undefined;
  if (!entry) {
    return notice(
      "notice",
      `the app command ${JSON.stringify(config.app)} runs no TypeScript or JavaScript file GreenOps can synthesize`,
    );
  }
  const dir = posix.dirname(project.root);
  const copy = await io.materialize(project.files);
  try {
    const root = join(copy.root, dir);
    if (!existsSync(join(root, "node_modules"))) symlinkSync(NODE_MODULES, join(root, "node_modules"), "dir");
    const out = join(copy.root, ".greenops-cdktf.out");
    mkdirSync(out);
    let bundled: string;
    try {
      bundled = await bundleProgram(join(root, entry), root);
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      return notice("error", `the CDKTF app could not be read: ${error.message}`);
    }
    const run = await io.options.programs.run({
      script: HARNESS,
      args: [bundled],
      cwd: root,
      read: [copy.root, NODE_MODULES, posix.dirname(HARNESS)],
      write: [out],
      env: sandboxEnv(copy.root, { CDKTF_OUTDIR: out, CDKTF_CONTEXT_JSON: JSON.stringify(context) }),
    });
    if ("cutShort" in run)
      return {
        resources: [],
        diagnostics: [
          cutShortDiagnostic(project.root, "the CDKTF app is not synthesized", run, {
            root: project.root,
          }),
        ],
      };
    const errors = (JSON.parse(run.result || '{"errors":[]}') as { errors: { message: string }[] }).errors;
    const disk = new Disk(out);
    const stacks = readManifest(disk);
    if (errors.length > 0 || stacks.length === 0) {
      const reason =
        errors[0]?.message.split("\n")[0] ?? (run.output.trim().split("\n").pop() || "it wrote no stack");
      return notice(
        "error",
        `the CDKTF app failed to synthesize: ${reason}; its resources are not estimated`,
      );
    }
    const results = stacks.map(({ name, path }) => {
      const virtual = posix.join(dir, "cdktf.out", "stacks", name, "cdk.tf.json");
      const text = textOf(disk, path);
      if (text === undefined) {
        const message = `the CDKTF app's stack ${name} was written to ${path}, which GreenOps does not read (outside the output folder, a link, or too large)`;
        return {
          resources: [],
          diagnostics: [{ file: project.root, line: 1, severity: "error" as const, message }],
        };
      }
      return parseTerraformJson(virtual, text, io.context(project.root, name));
    });
    return {
      resources: results.flatMap((r) =>
        r.resources.map((resource) => ({
          ...resource,
          notes: [...resource.notes, "synthesized by GreenOps from the CDKTF app (not committed)"],
        })),
      ),
      diagnostics: results.flatMap((r) => r.diagnostics),
    };
  } finally {
    copy.dispose();
  }
}

/**
 * manifest.json lists each stack and where its cdk.tf.json was written. The app wrote both: they are
 * read as untrusted, inside the output folder only, never through a link.
 */
function readManifest(disk: Disk): { name: string; path: string }[] {
  const manifest = textOf(disk, "manifest.json");
  if (manifest === undefined) return [];
  const stacks = (
    JSON.parse(manifest) as {
      stacks?: Record<string, { synthesizedStackPath?: string }>;
    }
  ).stacks;
  return Object.entries(stacks ?? {}).flatMap(([name, stack]) =>
    typeof stack.synthesizedStackPath === "string" ? [{ name, path: stack.synthesizedStackPath }] : [],
  );
}

/** A file of the output folder, or undefined when it leaves the folder, is a link or is not read. */
function textOf(disk: Disk, path: string): string | undefined {
  const normal = posix.normalize(path);
  if (posix.isAbsolute(normal) || normal === ".." || normal.startsWith("../")) return undefined;
  const file = disk.read(normal);
  return file && "text" in file ? file.text : undefined;
}
