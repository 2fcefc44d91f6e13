import type { Saving } from "../trailers.ts";
import type { Delta } from "./costs.ts";
import type { Result } from "./settle.ts";

/** What the deploy modules hand each other (rows, savings), apart from the deploy that builds them. */

/** A commit of the push, with the files it touched (GreenOps commits are found by their trailers). */
export type PushedCommit = { sha: string; message: string; files: string[] };

export type DeployRow = {
  name: string;
  cluster: string;
  namespace?: string;
  sync: string;
  health: string;
  revision?: string;
  /** How the revision was asked for: a sync GreenOps requested, ArgoCD's auto-sync, or only watched. */
  trigger: "sync requested" | "auto-sync" | "watched" | "sync refused";
  result: Result;
  message?: string;
  delta?: Delta;
};

/** A GreenOps commit of the push and whether its saving reached the cluster. */
export type DeployedSaving = {
  sha: string;
  policies: string[];
  saving?: Saving;
  reached: "yes" | "not yet" | "no Application";
  applications: string[];
};
