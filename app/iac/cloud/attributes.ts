import { pointerSegment } from "../../model/pointer.ts";

/** Pulumi's marker of a value known only after deployment (`unknownValue` in runtime/rpc.js). */
export const PULUMI_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Pulumi's secret signature (`specialSigKey` / `specialSecretSig` in runtime/rpc.js). */
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * A cloud resource's attributes, whoever wrote them: Terraform plans and CDKTF (snake_case, nested
 * blocks as lists), Pulumi (camelCase, single blocks as objects, repeated blocks pluralised). Values
 * known only after apply read as undefined, and `unknown()` says which they were.
 */
export class Attributes {
  readonly #values: Record<string, unknown>;
  /** Terraform's `after_unknown` mask for these attributes. */
  readonly #unknown: Record<string, unknown>;

  constructor(values: unknown, unknownMask?: unknown) {
    this.#values = isRecord(values) ? values : {};
    this.#unknown = isRecord(unknownMask) ? unknownMask : {};
  }

  /** The raw value of `name` (snake_case), also found as camelCase or a pluralised camelCase. */
  raw(name: string): unknown {
    const key = this.#key(name);
    return key === undefined ? undefined : unwrapSecret(this.#values[key]);
  }

  /** True when the value is computed at apply time (Terraform, CDKTF interpolation, Pulumi unknown). */
  unknown(name: string): boolean {
    const key = this.#key(name) ?? name;
    return this.#unknown[key] === true || isUnknownValue(unwrapSecret(this.#values[key]));
  }

  string(name: string): string | undefined {
    const value = this.raw(name);
    return typeof value === "string" && !isUnknownValue(value) ? value : undefined;
  }

  number(name: string): number | undefined {
    const value = this.raw(name);
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    return undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    return undefined;
  }

  strings(name: string): string[] {
    const value = this.raw(name);
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return list.map(unwrapSecret).filter((v): v is string => typeof v === "string" && !isUnknownValue(v));
  }

  /** A nested block: the first of a Terraform list, or a Pulumi object. */
  block(name: string): Attributes | undefined {
    return this.blocks(name)[0];
  }

  /** Repeated nested blocks, each with its part of the unknown mask. */
  blocks(name: string): Attributes[] {
    const key = this.#key(name);
    if (key === undefined) return [];
    const value = unwrapSecret(this.#values[key]);
    const mask = this.#unknown[key];
    const items = Array.isArray(value) ? value : isRecord(value) ? [value] : [];
    const masks = Array.isArray(mask) ? mask : [mask];
    return items.filter(isRecord).map((item, i) => new Attributes(item, masks[i]));
  }

  #key(name: string): string | undefined {
    // The name as written is the usual case (Terraform): no other spelling is built for it.
    if (name in this.#values) return name;
    return spellings(name).find((key) => key in this.#values);
  }
}

/** How formats spell an attribute: as Terraform does (snake_case), in camelCase (Pulumi), pluralised. */
function spellings(name: string): string[] {
  const camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return [name, camel, `${camel}s`];
}

/**
 * Where an attribute (a path of Terraform names, `["scaling_config", "desired_size"]`) is written
 * among a resource's fields (JSON pointers as its format spells them: `/scalingConfig/desiredSize`).
 */
export function attributeField<F>(
  fields: Readonly<Record<string, F>>,
  path: readonly (string | number)[],
): F | undefined {
  let pointers = [""];
  for (const segment of path) {
    const names = typeof segment === "number" ? [String(segment)] : spellings(segment);
    pointers = pointers.flatMap((pointer) => names.map((name) => `${pointer}/${pointerSegment(name)}`));
  }
  const found = pointers.find((pointer) => pointer in fields);
  return found === undefined ? undefined : fields[found];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isUnknownValue(value: unknown): boolean {
  if (typeof value === "string")
    return value === PULUMI_UNKNOWN || value === "[secret]" || value.includes("${");
  return isRecord(value) && value.__pulumiUnknown === true;
}

function unwrapSecret(value: unknown): unknown {
  return isRecord(value) && value[SECRET_KEY] === SECRET_SIG ? value.value : value;
}
