// Terraform values as the evaluator holds them, and HCL's conversions between them
// (a numeric string is a number, "true" is a bool, a number prints without a trailing .0).

export type TfObject = { readonly [key: string]: TfValue };
export type TfValue = string | number | boolean | null | TfValue[] | TfObject;

export type Evaluated<T = TfValue> =
  | { ok: true; value: T }
  /** planTime: known only when Terraform plans (a variable without default, a computed attribute); else the expression is wrong. */
  | { ok: false; why: string; planTime?: boolean };

export const fail = (why: string): { ok: false; why: string } => ({ ok: false, why });
export const planTime = (why: string): { ok: false; why: string; planTime: true } => ({ ok: false, why, planTime: true });
export const known = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export function isObject(value: TfValue): value is TfObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object without a prototype, so keys such as __proto__ from a file are plain keys. */
export function newObject(entries: Iterable<[string, TfValue]> = []): TfObject {
  const out = Object.create(null) as Record<string, TfValue>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

export function typeName(value: TfValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  return `a ${typeof value}`;
}

export function toNumber(value: TfValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

export function toBool(value: TfValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A primitive as a string, the way Terraform writes it into a template; undefined for null and collections. */
export function toText(value: TfValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatNumber(value);
  return undefined;
}

/** A number the way Terraform prints it: plain decimal digits, never an exponent (1e-7 is 0.0000001). */
export function formatNumber(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = '', exponent] = match as unknown as [string, string, string, string | undefined, string];
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function sameValue(a: TfValue, b: TfValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i] as TfValue));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k] as TfValue, b[k] as TfValue));
  }
  return a === b;
}

/** A list's or an object's elements (objects in key order, as Terraform iterates them). */
export function elementsOf(value: TfValue): { key: TfValue; value: TfValue }[] | undefined {
  if (Array.isArray(value)) return value.map((v, i) => ({ key: i, value: v }));
  if (isObject(value)) return Object.keys(value).sort().map((k) => ({ key: k, value: value[k] as TfValue }));
  return undefined;
}
