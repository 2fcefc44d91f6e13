import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";
import type { SourceFile } from "../source/snapshot.ts";
import type { ArgoApplication } from "./argocd/applications.ts";
import type { UsageFile } from "./cloud/usage.ts";
import type { ProgramRunner } from "./sandbox/programs.ts";

export type ParseContext = {
  environment: string;
  settings: EnvironmentSettings;
  /** Usage figures of usage-priced cloud resources (Lambda), Infracost's usage-file format. */
  usage?: UsageFile;
  /** The namespace an ArgoCD Application deploys the file's namespaced objects to, when they name none. */
  defaultNamespace?: string;
};

export type ParseResult = {
  resources: Resource[];
  diagnostics: Diagnostic[];
  /**
   * Texts a project read that its resources' fields point into (a Pulumi program's sources, its stack
   * config): what fixes edit, beyond the files GreenOps reads one by one.
   */
  sources?: { path: string; text: string }[];
};

/** What a review must read beside touched resources, as word searches over untouched files. */
export type References = {
  /** A file is read when, for some search, it contains a word of each of the search's word lists. */
  searches: string[][][];
  /** The resources may affect anything (a default StorageClass): read every file. */
  everything: boolean;
  /**
   * Searches for other copies of the resources (files with their name), which a review reads: an object
   * an environment declares twice is counted once, whichever copy the change touches.
   */
  copies?: string[][][];
};

/** How far GreenOps may go to read multi-file inputs (the App sets these per repository and pull request). */
export type ProjectOptions = {
  /**
   * Whether repository code may run (Pulumi programs, CDKTF synth), always in a sandboxed child
   * process. The GitHub App refuses it for pull requests from forks unless the repository opts in.
   */
  runPrograms: boolean;
  /** Why programs do not run, for the report. */
  refusal?: string;
  /**
   * Runs the programs of one review (or estimate): each within its limits, in a pool shared by the
   * process, within the review's budget. One runner per review: its budget starts with its first program.
   */
  programs: ProgramRunner;
  /**
   * Set when GreenOps runs in a checkout (the CLI): programs may use the packages its node_modules
   * hold (installed by the project, never by GreenOps), and the shell's AWS region applies to stacks
   * that set none.
   */
  local?: { root: string; awsRegion?: { region: string; variable: string } };
  /** The kubectl binary for Kustomize; false for GreenOps' own subset; by default found on PATH. */
  kubectl?: string | false;
  /** An ArgoCD server whose rendered manifests stand in for Helm charts GreenOps cannot render. */
  argocd?: { server: string; token: string };
};

/** What a multi-file format reads through the engine. */
export type ProjectIo = {
  /** Every path of the snapshot (relative, with `/`). */
  paths: string[];
  read(paths: string[]): Promise<SourceFile[]>;
  /** Copies these files into a new temporary directory, paths kept. */
  materialize(paths: string[]): Promise<Materialized>;
  /** The parse context of a file (its environment), or of the environment named, when there is one. */
  context(path: string, environment?: string): ParseContext;
  options: ProjectOptions;
  /** The commit the snapshot is; undefined for a working tree. */
  revision?: string;
  /** The snapshot's ArgoCD Applications (read once by the engine). */
  applications: ArgoApplication[];
};

/** Files copied into a temporary directory: `add` copies more (within the same size limit), dispose() removes it. */
export type Materialized = { root: string; add(paths: string[]): Promise<void>; dispose(): void };

/**
 * A multi-file input: the file that makes it one (kustomization.yaml, Pulumi.yaml), the files it may
 * read (a change to any of them re-reads it), and those it consumes: files that are then not also
 * read on their own (a Kustomize base's manifests; not the YAML manifests beside a Pulumi program).
 * `program`: its resources come from running code (Pulumi, CDKTF), so a change to a file it consumes
 * may change any of them, and a review shows them all.
 */
export type Project = { root: string; files: string[]; consumes: string[]; program?: true };

/**
 * Inputs that span files or must be rendered or run first (a Kustomize directory, a Pulumi program,
 * a CDKTF app without synthesized output). Their files are not read one by one.
 */
export type ProjectReader = {
  find(io: ProjectIo): Promise<Project[]>;
  /** The resources (each in its environment) and located diagnostics of one project. */
  evaluate(project: Project, io: ProjectIo): Promise<ParseResult>;
};

/** One IaC format: how to recognise its files, read them, and resolve references between resources. */
export type IacFormat = {
  id: string;
  displayName: string;
  /** A cheap test on a file's path and text; parse() reports what is wrong inside. */
  detect(file: string, text: string): boolean;
  /** What a review must read beside these (touched) resources to estimate them and what they affect. */
  references?(resources: Resource[]): References;
  parse(file: string, text: string, context: ParseContext): ParseResult;
  /** Schema errors of the file's objects, beyond what parse() reads: the check a fixed file must pass. */
  validate?(file: string, text: string): Promise<Diagnostic[]>;
  /**
   * Applies what resources of one environment do to each other (autoscalers, defaults): returns linked
   * copies in the same order and leaves the parsed resources unchanged. Resources from index `counted`
   * on are copies not counted (engine/counted-once.ts): they are linked to, and link nothing.
   */
  link(
    resources: Resource[],
    settings: EnvironmentSettings,
    counted?: number,
  ): { resources: Resource[]; diagnostics: Diagnostic[] };
  /** Multi-file inputs of this format, read through the engine instead of file by file. */
  project?: ProjectReader;
};
