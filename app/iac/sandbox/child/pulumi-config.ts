/**
 * Required configuration a stack does not set: the program gets a typed placeholder instead of
 * failing at its first `config.require…()`, and the harness reports which keys were missing, so the
 * rest of the program is evaluated.
 */
export type Placeholder = { key: string; type: "string" | "number" | "boolean" | "object"; value: unknown };

type ConfigPrototype = Record<string, unknown> & { fullKey(this: unknown, key: string): string };

const GETTERS = {
  requireImpl: ["getImpl", "string"],
  requireNumberImpl: ["getNumberImpl", "number"],
  requireBooleanImpl: ["getBooleanImpl", "boolean"],
  requireObjectImpl: ["getObjectImpl", "object"],
} as const;

/** The placeholder of a type: the first allowed value, the minimum, or a neutral value. */
function placeholderOf(type: Placeholder["type"], key: string, opts: unknown): unknown {
  const constraints = (typeof opts === "object" && opts !== null ? opts : {}) as {
    allowedValues?: unknown[];
    min?: number;
  };
  if (constraints.allowedValues?.length) return constraints.allowedValues[0];
  switch (type) {
    case "string":
      return `placeholder-${key.split(":").pop()}`;
    case "number":
      return constraints.min ?? 1;
    case "boolean":
      return false;
    case "object":
      return {};
  }
}

/** Patches pulumi.Config so a missing required value reads as a placeholder; returns the list it fills. */
export function placeholdMissingConfig(prototype: ConfigPrototype): Placeholder[] {
  const placeholders: Placeholder[] = [];
  for (const [required, [getter, type]] of Object.entries(GETTERS)) {
    const get = prototype[getter] as (this: unknown, ...args: unknown[]) => unknown;
    prototype[required] = function (this: unknown, key: string, _secret: boolean, ...rest: unknown[]) {
      // getImpl and getNumberImpl take (key, opts, use, insteadOf); the others (key, use, insteadOf).
      const value = get.call(this, key, ...rest);
      if (value !== undefined) return value;
      const full = prototype.fullKey.call(this, key);
      const opts = type === "string" || type === "number" ? rest[0] : undefined;
      const placeholder = placeholderOf(type, full, opts);
      if (!placeholders.some((p) => p.key === full))
        placeholders.push({ key: full, type, value: placeholder });
      return placeholder;
    };
  }
  return placeholders;
}
