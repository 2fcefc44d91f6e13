import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";

export type Route<Operation> = { template: string; params: Record<string, string>; operation: Operation };

/**
 * Routes requests to the operations of an API description (OpenAPI or Swagger `paths`): the path
 * matched against the templates, the most literal first, parameters URL-decoded.
 */
export function router<Operation>(
  paths: Record<string, Record<string, Operation>>,
): (method: string, pathname: string) => Route<Operation> | undefined {
  const templates = Object.keys(paths)
    .map((template) => {
      const names: string[] = [];
      const source = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
      const literal = template.split("/").filter((s) => s && !s.startsWith("{")).length;
      return { template, names, regex: new RegExp(`^${source}$`), literal };
    })
    .sort((a, b) => b.literal - a.literal);
  return (method, pathname) => {
    for (const { template, names, regex } of templates) {
      const match = regex.exec(pathname);
      const operation = paths[template]?.[method.toLowerCase()];
      if (!match || !operation) continue;
      const params = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]),
      );
      return { template, params, operation };
    }
    return undefined;
  };
}

/** Ajv for a whole API description added under `id` (its schemas compiled on first use), formats checked. */
export function descriptionAjv(spec: object, id: string): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  // GitHub's own format for `owner/repo` (a pull request's head_repo), which ajv-formats does not know.
  ajv.addFormat("repo.nwo", /^[\w.-]+\/[\w.-]+$/);
  ajv.addSchema(spec, id);
  return ajv;
}

/** The JSON pointer of an operation in a description added as `id`. */
export function operationPointer(id: string, template: string, method: string): string {
  const segment = encodeURIComponent(template.replace(/~/g, "~0").replace(/\//g, "~1"));
  return `${id}#/paths/${segment}/${method.toLowerCase()}`;
}
