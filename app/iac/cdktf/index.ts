import { linkCloudResources } from "../cloud/link.ts";
import type { IacFormat } from "../format.ts";
import { parseTerraformJson } from "./parse.ts";
import { cdktfSynth } from "./synth.ts";

/** Synthesized CDKTF (and cdktn) stacks and other Terraform JSON configurations. */
export const cdktf: IacFormat = {
  id: "cdktf",
  displayName: "CDKTF / Terraform JSON configuration",
  detect: (file, text) => /(^|\/)(cdk\.tf\.json|[^/]+\.tf\.json)$/i.test(file) && text.includes('"resource"'),
  parse: parseTerraformJson,
  link: (resources) => linkCloudResources(resources),
  project: cdktfSynth,
};
