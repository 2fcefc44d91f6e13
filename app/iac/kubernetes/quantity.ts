/**
 * Kubernetes resource quantities, parsed exactly as k8s.io/apimachinery's `ParseQuantity` does
 * (pkg/api/resource/quantity.go and suffix.go): the same grammar and suffixes, values rounded up to
 * nano precision, binary-SI values capped at 2^63-1, and the scheduler's `MilliValue()`/`Value()`
 * rounding (up, away from zero) when a quantity is read as millicores or bytes.
 */

const NANO = 1_000_000_000n;
/** Binary-SI values are capped at 2^63-1 units. */
const MAX_NANOS = ((1n << 63n) - 1n) * NANO;
/** Kubernetes computes 10^exponent for any int32 exponent; beyond this we refuse instead of hanging. */
const MAX_EXPONENT = 64;

export type Quantity = {
  /** The text as written. */
  text: string;
  /** The exact value in units of 10^-9, after Kubernetes' rounding and cap. */
  nanos: bigint;
};

export class QuantityError extends Error {}

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
/** The binary suffixes' multipliers. */
const BINARY_SUFFIXES: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const SUFFIX_CHARS = "eEinumkKMGTP";
/** 10^n for the scales quantities usually have, made once rather than for every quantity read. */
const POWERS_OF_TEN = Array.from({ length: 40 }, (_, n) => 10n ** BigInt(n));

/** `ParseQuantity`: no surrounding spaces allowed (manifest values are trimmed first, as `UnmarshalJSON` does). */
export function parseQuantity(text: string): Quantity {
  if (text.length === 0) throw new QuantityError("quantity is empty");
  const { negative, num, denom, suffix } = splitQuantity(text);
  const decimal = DECIMAL_SUFFIXES[suffix];
  const binary = BINARY_SUFFIXES[suffix];
  const exponent = decimal ?? (binary === undefined ? exponentSuffix(suffix, text) : 0);
  // value = digits × 10^(exponent − len(denom)) × 2^binary, in nanos, rounded up
  const numerator = BigInt(num + denom) * (binary ?? 1n);
  const scale = exponent - denom.length + 9;
  let nanos = scale >= 0 ? numerator * powerOfTen(scale) : ceilDiv(numerator, powerOfTen(-scale));
  if (binary !== undefined && nanos > MAX_NANOS) nanos = MAX_NANOS;
  return { text, nanos: negative ? -nanos : nanos };
}

function powerOfTen(n: number): bigint {
  return POWERS_OF_TEN[n] ?? 10n ** BigInt(n);
}

/** `parseQuantityString` from apimachinery: sign, digits, optional fraction, suffix. */
function splitQuantity(text: string): { negative: boolean; num: string; denom: string; suffix: string } {
  let pos = 0;
  const negative = text[0] === "-";
  if (text[0] === "-" || text[0] === "+") pos++;
  const numStart = pos;
  while (isDigit(text[pos])) pos++;
  const num = text.slice(numStart, pos) || "0";
  let denom = "";
  if (text[pos] === ".") {
    const denomStart = ++pos;
    while (isDigit(text[pos])) pos++;
    denom = text.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < text.length && SUFFIX_CHARS.includes(text[pos] ?? "")) pos++;
  if (text[pos] === "-" || text[pos] === "+") pos++;
  while (isDigit(text[pos])) pos++;
  if (pos < text.length)
    throw new QuantityError(`"${text}" is not a quantity (expected a number and a suffix)`);
  return { negative, num, denom, suffix: text.slice(suffixStart) };
}

function exponentSuffix(suffix: string, text: string): number {
  if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E") && /^[-+]?\d+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > MAX_EXPONENT) throw new QuantityError(`"${text}" has an absurd exponent`);
    return exponent;
  }
  throw new QuantityError(
    `"${text}" has an unknown suffix "${suffix}" (use m, k, M, G, Ki, Mi, Gi, … or e<n>)`,
  );
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= "0" && char <= "9";
}

/** `Quantity.MilliValue()`: millicores for CPU, rounded up. */
export function milliValue(quantity: Quantity): bigint {
  return ceilDiv(quantity.nanos, 1_000_000n);
}

/** `Quantity.Value()`: whole units (bytes for memory), rounded up. */
export function unitValue(quantity: Quantity): bigint {
  return ceilDiv(quantity.nanos, NANO);
}

function ceilDiv(value: bigint, divisor: bigint): bigint {
  if (value >= 0n) return (value + divisor - 1n) / divisor;
  return -((-value + divisor - 1n) / divisor);
}

/** Millicores as Kubernetes would write them: whole cores when exact, else `m`. */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

const BINARY_UNITS = [
  ["Ti", 2 ** 40],
  ["Gi", 2 ** 30],
  ["Mi", 2 ** 20],
  ["Ki", 2 ** 10],
] as const;

/** Bytes in the largest binary unit that keeps the value whole. */
export function formatMemory(bytes: number): string {
  for (const [suffix, unit] of BINARY_UNITS) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}

/**
 * Bytes as a reader (and `kubectl top`) expects them in a message: exact when a binary unit holds the
 * value in at most four digits (512Mi, 1280Mi), else three significant digits of the largest unit it
 * reaches (3.70Gi, not 3879732Ki). Manifests get {@link formatMemory}, which never rounds.
 */
export function readableMemory(bytes: number): string {
  const exact = formatMemory(bytes);
  if (/^\d{1,4}[KMGT]i$/.test(exact) || bytes < 1024) return exact;
  const [suffix, unit] = BINARY_UNITS.find(([, size]) => bytes >= size) ?? BINARY_UNITS[3];
  return `${(bytes / unit).toPrecision(3)}${suffix}`;
}
