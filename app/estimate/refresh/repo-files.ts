import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Helpers of the catalog refresh scripts (app/estimate/refresh/*.ts): they read public repositories
 * and price files and write the CSVs of app/estimate/data/. Not used at run time.
 */

/** A file of a repository: from a work tree, or from a bare clone or mirror at a revision. */
export function readRepoFile(repo: string, path: string, revision = "HEAD"): string {
  const inTree = join(repo, path);
  if (existsSync(inTree)) return readFileSync(inTree, "utf8");
  return execFileSync("git", ["--git-dir", gitDir(repo), "show", `${revision}:${path}`], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** The commit a revision names, for the SOURCE note. */
export function commitOf(repo: string, revision = "HEAD"): string {
  return execFileSync("git", ["--git-dir", gitDir(repo), "rev-parse", revision], { encoding: "utf8" }).trim();
}

function gitDir(repo: string): string {
  return existsSync(join(repo, ".git")) ? join(repo, ".git") : repo;
}

export type Cell = string | number | undefined;

/** RFC 4180 CSV: cells with commas, quotes or line breaks are quoted. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const cell = (value: Cell) => {
    const text = value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows]
    .map((row) => row.map(cell).join(","))
    .join("\n")
    .concat("\n");
}

export function writeData(file: string, text: string): void {
  const path = new URL(`../data/${file}`, import.meta.url);
  writeFileSync(path, text);
  process.stderr.write(`wrote app/estimate/data/${file}\n`);
}

/**
 * The unit price behind a figure rounded to cents: the shortest decimal p with p × quantity within
 * half a cent of the cost (16.43 for 730 hours gives 0.0225, the list price, not 0.022507).
 */
export function unitPrice(cost: number, quantity: number): number {
  for (let digits = 1; digits <= 12; digits++) {
    const price = Number((cost / quantity).toPrecision(digits));
    if (Math.abs(price * quantity - cost) <= 0.005 + 1e-9) return price;
  }
  return cost / quantity;
}
