import { linkCloudResources } from "../cloud/link.ts";
import type { IacFormat } from "../format.ts";
import { parsePlan } from "./parse.ts";

/** A plan has a format_version and a terraform_version (OpenTofu keeps the key), wherever they are. */
function isPlan(text: string): boolean {
  return text.includes('"format_version"') && text.includes('"terraform_version"');
}

/** `terraform show -json` and `tofu show -json` plan files, recognised by their content. */
export const terraformPlan: IacFormat = {
  id: "terraform-plan",
  displayName: "Terraform / OpenTofu plan JSON",
  detect: (file, text) => /\.json$/i.test(file) && isPlan(text),
  parse: parsePlan,
  link: (resources) => linkCloudResources(resources),
};
