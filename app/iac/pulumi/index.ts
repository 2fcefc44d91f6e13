import { linkCloudResources } from "../cloud/link.ts";
import type { IacFormat } from "../format.ts";
import { linkManifests } from "../kubernetes/link.ts";
import { parsePreview } from "./preview.ts";

/** `pulumi preview --json` output, recognised by its steps of Pulumi URNs. */
export const pulumiPreview: IacFormat = {
  id: "pulumi-preview",
  displayName: "Pulumi preview JSON",
  detect: (file, text) => /\.json$/i.test(file) && text.includes('"steps"') && text.includes('"urn:pulumi:'),
  parse: parsePreview,
  link: (resources, settings) => [...linkCloudResources(resources), ...linkManifests(resources, settings)],
};
