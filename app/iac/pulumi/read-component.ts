import type { Resource } from "../../model/resource.ts";
import type { Diagnostic } from "../../model/span.ts";
import { Attributes } from "../cloud/attributes.ts";
import type { COMPONENTS } from "./components.ts";
import { idOfUrn, locationOf, type Registration, regionNotes, type StackContext } from "./stack-context.ts";

/**
 * A remote component as the resources its provider plugin would create, each `<component id>/<part>`,
 * located at the component's declaration and sharing its fields (a fix edits the component's inputs).
 */
export function readComponent(
  registration: Registration,
  component: (typeof COMPONENTS)[string],
  stack: StackContext,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const { type, name, span } = registration;
  const id = `${type}::${name}`;
  const location = locationOf("aws_component", registration, stack);
  const parts = component(new Attributes(registration.inputs), {
    id,
    inputs: registration.inputs,
    location,
    ...(stack.usage ? { usage: stack.usage } : {}),
    refs: (property) => (registration.dependencies?.[property] ?? []).map(idOfUrn),
  });
  const made = `a part of ${type} "${name}", estimated from its inputs: under mocks a component its provider plugin builds registers no children`;
  const resources = parts.map(
    (part): Resource => ({
      id: `${id}/${part.suffix}`,
      kind: type,
      name: `${name}/${part.suffix}`,
      environment: stack.environment,
      labels: {},
      source: { format: stack.format, span, fields: registration.fields ?? {} },
      demand: part.mapped.demand,
      notes: [made, ...part.notes, ...part.mapped.notes, ...regionNotes(location, stack)],
    }),
  );
  const diagnostics = parts.flatMap((part) =>
    part.mapped.problems.map(
      (problem): Diagnostic => ({
        file: span.file,
        line: span.startLine,
        severity: problem.severity,
        message: `${id}/${part.suffix}: ${problem.message}`,
      }),
    ),
  );
  return { resources, diagnostics };
}
