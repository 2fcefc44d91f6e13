import { linkCloudResources } from "../cloud/link.ts";
import type { IacFormat } from "../format.ts";
import { linkManifests } from "../kubernetes/link.ts";
import { parsePreview } from "./preview.ts";
import { pulumiProgram as programReader } from "./program.ts";

/** `pulumi preview --json` output, recognised by its steps of Pulumi URNs. */
export const pulumiPreview: IacFormat = {
  id: "pulumi-preview",
  displayName: "Pulumi preview JSON",
  detect: (file, text) => /\.json$/i.test(file) && text.includes('"steps"') && text.includes('"urn:pulumi:'),
  parse: parsePreview,
  link: (parsed, settings, counted) => {
    const cloud = linkCloudResources(parsed);
    const manifests = linkManifests(cloud.resources, settings, counted);
    return { resources: manifests.resources, diagnostics: [...cloud.diagnostics, ...manifests.diagnostics] };
  },
};

/** Pulumi TypeScript and JavaScript programs (Pulumi.yaml), evaluated under mocks in a sandbox. */
export const pulumiProgram: IacFormat = {
  id: "pulumi-program",
  displayName: "Pulumi program (TypeScript, JavaScript)",
  // A program is a directory: it is read through `project`, never file by file.
  detect: () => false,
  parse: () => ({ resources: [], diagnostics: [] }),
  link: pulumiPreview.link,
  project: programReader,
};
