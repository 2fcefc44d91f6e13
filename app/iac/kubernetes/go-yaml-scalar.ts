/**
 * Kubernetes reads manifests with sigs.k8s.io/yaml, whose go-yaml v2 resolver differs from YAML 1.2:
 * underscores are dropped from numbers, `0x`/`0o`/`0b` and leading-zero octal integers are accepted,
 * and floats are re-printed by encoding/json before a Quantity or an integer field sees them.
 * This returns the JSON text Kubernetes would decode for a plain (unquoted) scalar, or undefined
 * when the scalar is not a number.
 */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** A character none of the forms below has (signs, digits, `_`, `.`, exponents, hex digits, radix letters). */
const NOT_IN_NUMBERS = /[^-+._0-9a-fA-FoOxX]/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

export function plainScalarNumberText(raw: string): string | undefined {
  if (raw === "" || !/^[-+.0-9]/.test(raw)) return undefined;
  // Most numbers are written as JSON writes them (`replicas: 3`): read as they are.
  if (/^(?:0|[1-9][0-9]{0,14})$/.test(raw)) return raw;
  // A quantity with a suffix (`250m`, `512Mi`) has a letter no number has: no need to try each form.
  if (NOT_IN_NUMBERS.test(raw)) return undefined;
  const plain = raw.replaceAll("_", "");
  const integer = parseGoInteger(plain);
  if (integer !== undefined && integer >= INT64_MIN && integer <= UINT64_MAX) return integer.toString();
  if (raw.startsWith(".") || YAML_STYLE_FLOAT.test(plain)) {
    const float = Number(raw.startsWith(".") ? raw : plain);
    // encoding/json prints float64 with the same shortest form and exponent thresholds as JavaScript.
    if (Number.isFinite(float)) return String(float);
  }
  return undefined;
}

/** strconv.ParseInt(s, 0, 64) without the range check. */
function parseGoInteger(text: string): bigint | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ""] = match;
  const lower = digits.toLowerCase();
  let value: bigint;
  if (lower.startsWith("0x") || lower.startsWith("0b")) value = BigInt(lower);
  else if (lower.startsWith("0o")) value = BigInt(lower);
  else if (lower.length > 1 && lower.startsWith("0")) value = BigInt(`0o${lower.slice(1)}`);
  else value = BigInt(lower);
  return sign === "-" ? -value : value;
}
