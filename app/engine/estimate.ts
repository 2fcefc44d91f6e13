import { relative, resolve, sep } from "node:path";
import { gitMaybe } from "../source/git.ts";
import { gitRevision, workingTree } from "../source/snapshot.ts";
import type { ResourceChange } from "./compare.ts";
import { loadEnvironments } from "./environments.ts";
import { evaluate } from "./evaluate.ts";
import { mayBeIac } from "./formats.ts";
import { dedupe, type Progress, type Report, usedEnvironments } from "./report.ts";
import { commitOf } from "./revisions.ts";

export type EstimateOptions = { ref?: string; env?: string; onProgress?: Progress };

/** Estimates every IaC file under `path`, in the working tree or at a git revision. */
export async function estimate(path: string, options: EstimateOptions = {}): Promise<Report> {
  const target = resolve(path);
  const top = (await gitMaybe(target, ["rev-parse", "--show-toplevel"]))?.trim();
  if (top === undefined && options.ref)
    throw new Error(`--ref ${options.ref}: ${target} is not in a git repository`);
  const root = top ?? target;
  const commit = options.ref ? await commitOf(root, options.ref) : undefined;
  const snapshot = commit ? gitRevision(root, commit, options.ref) : workingTree(root, top !== undefined);
  const prefix = relative(root, target).split(sep).join("/");
  const [paths, environments] = await Promise.all([snapshot.list(), loadEnvironments(snapshot, options.env)]);
  const selected = paths.filter(
    (p) => mayBeIac(p) && (prefix === "" || p === prefix || p.startsWith(`${prefix}/`)),
  );
  const evaluation = evaluate(await snapshot.read(selected), environments, (done) =>
    options.onProgress?.("reading", done, selected.length),
  );
  const rows = evaluation.resources.map((after): ResourceChange => ({ change: "unchanged", after }));
  return {
    mode: "estimate",
    head: commit ? { ref: options.ref ?? commit, commit } : { ref: "working tree" },
    rows,
    unchangedResources: 0,
    files: [],
    findings: [],
    diagnostics: dedupe([...environments.diagnostics, ...evaluation.diagnostics]),
    environments: usedEnvironments(environments, rows),
    stats: { files: selected.length, objects: evaluation.objects },
  };
}
