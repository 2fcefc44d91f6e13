import type { IacFormat } from "../format.ts";
import { linkManifests } from "./link.ts";
import { parseManifests } from "./parse.ts";
import { manifestReferences } from "./references.ts";
import { schemaErrors } from "./schema-check.ts";

const YAML_FILE = /\.ya?ml$/i;
const HAS_API_VERSION = /^\s*(?:- )?apiVersion\s*:/m;
const HAS_KIND = /^\s*(?:- )?kind\s*:/m;

/** Kubernetes manifests: multi-document YAML with apiVersion and kind. */
export const kubernetes: IacFormat = {
  id: "kubernetes",
  displayName: "Kubernetes manifests",
  detect: (file, text) => YAML_FILE.test(file) && HAS_API_VERSION.test(text) && HAS_KIND.test(text),
  parse: parseManifests,
  link: linkManifests,
  references: manifestReferences,
  validate: schemaErrors,
};
