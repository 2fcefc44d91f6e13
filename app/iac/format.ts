import type { EnvironmentSettings } from "../config/environment-settings.ts";
import type { Resource } from "../model/resource.ts";
import type { Diagnostic } from "../model/span.ts";

export type ParseContext = { environment: string; settings: EnvironmentSettings };

export type ParseResult = { resources: Resource[]; diagnostics: Diagnostic[] };

/** One IaC format: how to recognise its files, read them, and resolve references between resources. */
export type IacFormat = {
  id: string;
  displayName: string;
  /** A cheap test on a file's path and text; parse() reports what is wrong inside. */
  detect(file: string, text: string): boolean;
  /**
   * A POSIX extended regex matching lines of resources that change others (autoscalers, defaults):
   * files that match are read for a review even when the change does not touch them.
   */
  contextPattern?: string;
  parse(file: string, text: string, context: ParseContext): ParseResult;
  /** Applies what resources of one environment do to each other (autoscalers, defaults); mutates demand. */
  link(resources: Resource[], settings: EnvironmentSettings): Diagnostic[];
};
