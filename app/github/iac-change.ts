import { isSettingsFile } from "../engine/environments.ts";
import { mayBeIac } from "../engine/formats.ts";
import { changePaths } from "../source/changes.ts";
import type { Tree } from "./read/trees.ts";

type Changed = { path: string; from?: string | undefined };

/** What makes a folder a program: Pulumi's project file, or a CDKTF app's `cdktf.json`. */
const PROGRAM_ROOT = /(^|\/)(Pulumi\.ya?ml|cdktf\.json)$/;
/** Files a program is made of that are no IaC by themselves: its sources and its package manifests. */
const PROGRAM_SOURCE = /\.(m|c)?(t|j)sx?$|(^|\/)(package(-lock)?\.json|pnpm-lock\.yaml|yarn\.lock)$/;

/** A change to a file GreenOps reads as IaC or settings. */
export function touchesIac(change: Changed): boolean {
  return changePaths(change).some((p) => mayBeIac(p) || isSettingsFile(p));
}

/** A change that may concern IaC before the trees are known: IaC, settings, or a program's source. */
export function mayConcernIac(change: Changed): boolean {
  return touchesIac(change) || changePaths(change).some((p) => PROGRAM_SOURCE.test(p));
}

/**
 * Whether a change concerns IaC, the trees known: IaC or settings, or any file in the folder of a
 * program (a Pulumi program, a CDKTF app) on either side, which the review then evaluates again.
 */
export function concernsIac(trees: Tree[]): (change: Changed) => boolean {
  const folders = trees.flatMap((tree) =>
    [...tree.files.keys()].flatMap((path) => {
      if (!PROGRAM_ROOT.test(path)) return [];
      const slash = path.lastIndexOf("/");
      return [slash < 0 ? "" : path.slice(0, slash + 1)];
    }),
  );
  const inProgram = (path: string) => folders.some((folder) => path.startsWith(folder));
  return (change) => touchesIac(change) || changePaths(change).some(inProgram);
}
