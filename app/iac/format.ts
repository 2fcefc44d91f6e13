import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";

export type ParseContext = { environment: string; settings: EnvironmentSettings };

export type ParseResult = { resources: Resource[]; diagnostics: Diagnostic[] };

/** What a review must read beside touched resources, as word searches over untouched files. */
export type References = {
  /** A file is read when, for some search, it contains a word of each of the search's word lists. */
  searches: string[][][];
  /** The resources may affect anything (a default StorageClass): read every file. */
  everything: boolean;
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
   * copies in the same order and leaves the parsed resources unchanged.
   */
  link(
    resources: Resource[],
    settings: EnvironmentSettings,
  ): { resources: Resource[]; diagnostics: Diagnostic[] };
};
