// Terraform's built-in functions that a file's own values decide: conversions, strings,
// collections and the CIDR functions that security groups use. Each takes known values
// (the evaluator resolves the arguments first) and gives a value or says why it cannot.

import * as ipaddr from 'ipaddr.js';
import { parseCidr } from '../../../rules/cidr';
import {
  elementsOf, fail, isObject, known, newObject, sameValue, toBool, toNumber, toText, typeName,
  type Evaluated, type TfObject, type TfValue,
} from './values';

type TfFunction = (args: TfValue[]) => Evaluated;

function numbers(name: string, args: TfValue[]): number[] | string {
  const out: number[] = [];
  for (const arg of args) {
    const n = toNumber(arg);
    if (n === undefined) return `${name}() needs numbers, not ${typeName(arg)}`;
    out.push(n);
  }
  return out;
}

function texts(name: string, args: TfValue[]): string[] | string {
  const out: string[] = [];
  for (const arg of args) {
    const text = toText(arg);
    if (text === undefined) return `${name}() needs strings, not ${typeName(arg)}`;
    out.push(text);
  }
  return out;
}

function list(name: string, value: TfValue | undefined): TfValue[] | string {
  if (Array.isArray(value)) return value;
  return `${name}() needs a list, not ${value === undefined ? 'nothing' : typeName(value)}`;
}

function arity(name: string, args: TfValue[], min: number, max = min): string | undefined {
  if (args.length < min || args.length > max) {
    return `${name}() takes ${min === max ? min : `${min} to ${max === Infinity ? 'any number of' : max}`} argument${max === 1 ? '' : 's'}, not ${args.length}`;
  }
  return undefined;
}

/** Wraps a function of numbers, strings or lists with the checks every such function needs. */
function onNumbers(name: string, min: number, max: number, body: (n: number[]) => TfValue | string): TfFunction {
  return (args) => {
    const wrong = arity(name, args, min, max);
    if (wrong) return fail(wrong);
    const n = numbers(name, args);
    if (typeof n === 'string') return fail(n);
    const result = body(n);
    return typeof result === 'string' && result.startsWith('!') ? fail(result.slice(1)) : known(result);
  };
}

function onTexts(name: string, min: number, max: number, body: (s: string[]) => TfValue): TfFunction {
  return (args) => {
    const wrong = arity(name, args, min, max);
    if (wrong) return fail(wrong);
    const s = texts(name, args);
    return typeof s === 'string' ? fail(s) : known(body(s));
  };
}

function flatten(value: TfValue[]): TfValue[] {
  return value.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));
}

function distinct(values: TfValue[]): TfValue[] {
  const out: TfValue[] = [];
  for (const v of values) if (!out.some((o) => sameValue(o, v))) out.push(v);
  return out;
}

/** `format`: the verbs files use for names and CIDRs (%s %d %v %q %f %%). */
function format(args: TfValue[]): Evaluated {
  const [spec, ...rest] = args;
  if (typeof spec !== 'string') return fail('format() needs a format string first');
  let next = 0;
  let problem: string | undefined;
  const out = spec.replace(/%(%|[-+ 0#]*\d*(?:\.\d+)?[sdvqfgt])/g, (whole, verb: string) => {
    if (verb === '%') return '%';
    if (next >= rest.length) { problem ??= `format() has more verbs than values in ${JSON.stringify(spec)}`; return whole; }
    const value = rest[next++] as TfValue;
    const kind = verb[verb.length - 1];
    if (kind === 'd') { const n = toNumber(value); if (n === undefined || !Number.isInteger(n)) { problem ??= `format() %d needs a whole number, not ${typeName(value)}`; return whole; } return String(n); }
    if (kind === 'q') return JSON.stringify(toText(value) ?? '');
    if (kind === 'f' || kind === 'g') { const n = toNumber(value); const digits = /\.(\d+)/.exec(verb)?.[1]; return n === undefined ? whole : digits ? n.toFixed(Number(digits)) : String(n); }
    const text = toText(value);
    if (text === undefined) { problem ??= `format() %${kind} cannot print ${typeName(value)}`; return whole; }
    return text;
  });
  return problem ? fail(problem) : known(out);
}

function bytesToBigint(bytes: number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function bigintToAddress(value: bigint, family: 4 | 6): string {
  const bytes: number[] = [];
  for (let i = 0; i < (family === 4 ? 4 : 16); i++) { bytes.unshift(Number(value & 0xffn)); value >>= 8n; }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The network of a CIDR as (family, bits, first address). */
function network(name: string, text: TfValue): { family: 4 | 6; bits: number; prefix: number; base: bigint } | string {
  const parsed = typeof text === 'string' ? parseCidr(text) : undefined;
  if (!parsed) return `${name}() needs a CIDR prefix, not ${JSON.stringify(toText(text) ?? typeName(text))}`;
  const bits = parsed.family === 4 ? 32 : 128;
  const [address] = ipaddr.parseCIDR(parsed.text);
  const base = bytesToBigint(address.toByteArray());
  return { family: parsed.family, bits, prefix: parsed.prefix, base };
}

function cidrsubnet(args: TfValue[]): Evaluated {
  const wrong = arity('cidrsubnet', args, 3);
  if (wrong) return fail(wrong);
  const net = network('cidrsubnet', args[0] as TfValue);
  if (typeof net === 'string') return fail(net);
  const newbits = toNumber(args[1] as TfValue);
  const netnum = toNumber(args[2] as TfValue);
  if (newbits === undefined || netnum === undefined || !Number.isInteger(newbits) || !Number.isInteger(netnum) || newbits < 0 || netnum < 0) {
    return fail('cidrsubnet() needs whole numbers for newbits and netnum');
  }
  const prefix = net.prefix + newbits;
  if (prefix > net.bits) return fail(`cidrsubnet(): ${net.prefix} + ${newbits} bits is longer than an IPv${net.family} address`);
  if (BigInt(netnum) >= 1n << BigInt(newbits)) return fail(`cidrsubnet(): ${netnum} does not fit in ${newbits} new bits`);
  const value = net.base | (BigInt(netnum) << BigInt(net.bits - prefix));
  return known(`${bigintToAddress(value, net.family)}/${prefix}`);
}

function cidrhost(args: TfValue[]): Evaluated {
  const wrong = arity('cidrhost', args, 2);
  if (wrong) return fail(wrong);
  const net = network('cidrhost', args[0] as TfValue);
  if (typeof net === 'string') return fail(net);
  const hostnum = toNumber(args[1] as TfValue);
  const size = 1n << BigInt(net.bits - net.prefix);
  if (hostnum === undefined || !Number.isInteger(hostnum)) return fail('cidrhost() needs a whole host number');
  const offset = hostnum < 0 ? size + BigInt(hostnum) : BigInt(hostnum);
  if (offset < 0n || offset >= size) return fail(`cidrhost(): host ${hostnum} is outside the prefix`);
  return known(bigintToAddress(net.base + offset, net.family));
}

function cidrsubnets(args: TfValue[]): Evaluated {
  const [prefix, ...newbits] = args;
  const net = network('cidrsubnets', prefix ?? null);
  if (typeof net === 'string') return fail(net);
  const out: string[] = [];
  let next = net.base;
  for (const bits of newbits) {
    const n = toNumber(bits);
    if (n === undefined || !Number.isInteger(n) || n < 0 || net.prefix + n > net.bits) return fail('cidrsubnets() needs new bit counts that fit the address');
    const length = net.prefix + n;
    const step = 1n << BigInt(net.bits - length);
    // Each subnet starts at the next boundary of its own size.
    if (next % step !== 0n) next = (next / step + 1n) * step;
    if (next + step - 1n > net.base + (1n << BigInt(net.bits - net.prefix)) - 1n) return fail('cidrsubnets(): the subnets do not fit in the prefix');
    out.push(`${bigintToAddress(next, net.family)}/${length}`);
    next += step;
  }
  return known(out);
}

function lookup(args: TfValue[]): Evaluated {
  const wrong = arity('lookup', args, 2, 3);
  if (wrong) return fail(wrong);
  const [map, key, fallback] = args as [TfValue, TfValue, TfValue | undefined];
  const k = toText(key);
  if (!isObject(map) || k === undefined) return fail('lookup() needs a map and a key');
  if (k in map) return known(map[k] as TfValue);
  return fallback === undefined ? fail(`lookup(): the map has no key ${JSON.stringify(k)} and no default`) : known(fallback);
}

function element(args: TfValue[]): Evaluated {
  const wrong = arity('element', args, 2);
  if (wrong) return fail(wrong);
  const values = list('element', args[0]);
  const i = toNumber(args[1] as TfValue);
  if (typeof values === 'string') return fail(values);
  if (i === undefined || !Number.isInteger(i) || i < 0 || values.length === 0) return fail('element() needs a non-empty list and a whole index');
  return known(values[i % values.length] as TfValue);
}

function slice(args: TfValue[]): Evaluated {
  const wrong = arity('slice', args, 3);
  if (wrong) return fail(wrong);
  const values = list('slice', args[0]);
  const from = toNumber(args[1] as TfValue);
  const to = toNumber(args[2] as TfValue);
  if (typeof values === 'string') return fail(values);
  if (from === undefined || to === undefined || from < 0 || to > values.length || from > to) return fail('slice() indexes are outside the list');
  return known(values.slice(from, to));
}

function merge(args: TfValue[]): Evaluated {
  const out = newObject() as Record<string, TfValue>;
  for (const arg of args) {
    if (arg === null) continue;
    if (!isObject(arg)) return fail(`merge() needs maps, not ${typeName(arg)}`);
    for (const key of Object.keys(arg)) out[key] = arg[key] as TfValue;
  }
  return known(out as TfObject);
}

function keysOrValues(which: 'keys' | 'values'): TfFunction {
  return (args) => {
    const [map] = args;
    if (args.length !== 1 || map === undefined || !isObject(map)) return fail(`${which}() needs one map`);
    const keys = Object.keys(map).sort();
    return known(which === 'keys' ? keys : keys.map((k) => map[k] as TfValue));
  };
}

function coalesce(args: TfValue[]): Evaluated {
  for (const arg of args) if (arg !== null && arg !== '') return known(arg);
  return fail('coalesce(): every argument is null or empty');
}

function range(args: TfValue[]): Evaluated {
  const n = numbers('range', args);
  if (typeof n === 'string') return fail(n);
  const [start, end, step] = n.length === 1 ? [0, n[0] as number, 1] : n.length === 2 ? [n[0] as number, n[1] as number, 1] : n.length === 3 ? (n as [number, number, number]) : [0, 0, 0];
  if (step === 0) return fail('range() takes 1 to 3 numbers, with a step that is not 0');
  const out: number[] = [];
  for (let v = start; step > 0 ? v < end : v > end; v += step) {
    if (out.length >= 1024) return fail('range(): more than 1024 elements');
    out.push(v);
  }
  return known(out);
}

function zipmap(args: TfValue[]): Evaluated {
  const [keys, values] = args;
  if (args.length !== 2 || !Array.isArray(keys) || !Array.isArray(values) || keys.length !== values.length) return fail('zipmap() needs two lists of the same length');
  const entries: [string, TfValue][] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = toText(keys[i] as TfValue);
    if (key === undefined) return fail('zipmap() keys must be strings');
    entries.push([key, values[i] as TfValue]);
  }
  return known(newObject(entries));
}

function contains(args: TfValue[]): Evaluated {
  const [values, value] = args;
  const items = list('contains', values);
  if (typeof items === 'string' || args.length !== 2) return fail(typeof items === 'string' ? items : 'contains() takes a list and a value');
  return known(items.some((v) => sameValue(v, value as TfValue)));
}

function indexOf(args: TfValue[]): Evaluated {
  const [values, value] = args;
  const items = list('index', values);
  if (typeof items === 'string') return fail(items);
  const i = items.findIndex((v) => sameValue(v, value as TfValue));
  return i < 0 ? fail('index(): the value is not in the list') : known(i);
}

function one(args: TfValue[]): Evaluated {
  const items = list('one', args[0]);
  if (typeof items === 'string') return fail(items);
  if (items.length > 1) return fail('one() was given a list with more than one element');
  return known(items[0] ?? null);
}

function replace(args: TfValue[]): Evaluated {
  const s = texts('replace', args);
  if (typeof s === 'string' || s.length !== 3) return fail(typeof s === 'string' ? s : 'replace() takes 3 strings');
  const [text, search, replacement] = s as [string, string, string];
  const regex = /^\/(.*)\/$/s.exec(search);
  if (!regex) return known(text.split(search).join(replacement));
  try {
    return known(text.replace(new RegExp(regex[1] as string, 'g'), replacement.replace(/\$\{(\w+)\}/g, '$<$1>')));
  } catch {
    return fail(`replace(): ${search} is not a regular expression this reader understands`);
  }
}

function conversion(name: string, to: (value: TfValue) => TfValue | undefined): TfFunction {
  return (args) => {
    if (args.length !== 1) return fail(`${name}() takes one argument`);
    const value = args[0] as TfValue;
    if (value === null) return known(null);
    const converted = to(value);
    return converted === undefined ? fail(`${name}() cannot convert ${typeName(value)}`) : known(converted);
  };
}

const FUNCTIONS: Record<string, TfFunction> = {
  abs: onNumbers('abs', 1, 1, ([n]) => Math.abs(n as number)),
  ceil: onNumbers('ceil', 1, 1, ([n]) => Math.ceil(n as number)),
  floor: onNumbers('floor', 1, 1, ([n]) => Math.floor(n as number)),
  max: onNumbers('max', 1, Infinity, (n) => Math.max(...n)),
  min: onNumbers('min', 1, Infinity, (n) => Math.min(...n)),
  pow: onNumbers('pow', 2, 2, ([a, b]) => (a as number) ** (b as number)),
  signum: onNumbers('signum', 1, 1, ([n]) => Math.sign(n as number)),
  parseint: (args) => {
    const [text, base] = args;
    const b = toNumber(base ?? null);
    if (typeof text !== 'string' || b === undefined || b < 2 || b > 62) return fail('parseint() needs a string and a base from 2 to 62');
    const n = parseInt(text, b);
    return Number.isNaN(n) ? fail(`parseint(): ${JSON.stringify(text)} is not a base ${b} number`) : known(n);
  },
  chomp: onTexts('chomp', 1, 1, ([s]) => (s as string).replace(/(\r?\n)+$/, '')),
  lower: onTexts('lower', 1, 1, ([s]) => (s as string).toLowerCase()),
  upper: onTexts('upper', 1, 1, ([s]) => (s as string).toUpperCase()),
  title: onTexts('title', 1, 1, ([s]) => (s as string).replace(/\b\p{L}/gu, (c) => c.toUpperCase())),
  trimspace: onTexts('trimspace', 1, 1, ([s]) => (s as string).trim()),
  trim: onTexts('trim', 2, 2, ([s, chars]) => {
    const set = new Set([...(chars as string)]);
    const characters = [...(s as string)];
    let a = 0; let b = characters.length;
    while (a < b && set.has(characters[a] as string)) a++;
    while (b > a && set.has(characters[b - 1] as string)) b--;
    return characters.slice(a, b).join('');
  }),
  trimprefix: onTexts('trimprefix', 2, 2, ([s, p]) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : (s as string))),
  trimsuffix: onTexts('trimsuffix', 2, 2, ([s, p]) => ((s as string).endsWith(p as string) && p !== '' ? (s as string).slice(0, -(p as string).length) : (s as string))),
  startswith: onTexts('startswith', 2, 2, ([s, p]) => (s as string).startsWith(p as string)),
  endswith: onTexts('endswith', 2, 2, ([s, p]) => (s as string).endsWith(p as string)),
  strcontains: onTexts('strcontains', 2, 2, ([s, p]) => (s as string).includes(p as string)),
  strrev: onTexts('strrev', 1, 1, ([s]) => [...(s as string)].reverse().join('')),
  substr: (args) => {
    const [text, offset, length] = args;
    const o = toNumber(offset ?? null);
    const l = toNumber(length ?? null);
    if (typeof text !== 'string' || o === undefined || l === undefined) return fail('substr() needs a string, an offset and a length');
    const characters = [...text];
    const start = o < 0 ? Math.max(0, characters.length + o) : o;
    return known(characters.slice(start, l < 0 ? undefined : start + l).join(''));
  },
  format,
  join: (args) => {
    const [separator, ...lists] = args;
    if (typeof separator !== 'string' || lists.length === 0) return fail('join() needs a separator and lists');
    const items = flatten(lists.map((l) => (Array.isArray(l) ? l : [l])));
    const s = texts('join', items);
    return typeof s === 'string' ? fail(s) : known(s.join(separator));
  },
  split: onTexts('split', 2, 2, ([separator, s]) => (s as string).split(separator as string)),
  replace,
  concat: (args) => {
    if (!args.every(Array.isArray)) return fail('concat() needs lists');
    return known((args as TfValue[][]).flat());
  },
  flatten: (args) => {
    const items = list('flatten', args[0]);
    return typeof items === 'string' ? fail(items) : known(flatten(items));
  },
  distinct: (args) => {
    const items = list('distinct', args[0]);
    return typeof items === 'string' ? fail(items) : known(distinct(items));
  },
  compact: (args) => {
    const items = list('compact', args[0]);
    return typeof items === 'string' ? fail(items) : known(items.filter((v) => v !== null && v !== ''));
  },
  reverse: (args) => {
    const items = list('reverse', args[0]);
    return typeof items === 'string' ? fail(items) : known([...items].reverse());
  },
  sort: (args) => {
    const items = list('sort', args[0]);
    if (typeof items === 'string') return fail(items);
    const s = texts('sort', items);
    return typeof s === 'string' ? fail(s) : known([...s].sort());
  },
  length: (args) => {
    const [value] = args;
    if (args.length !== 1 || value === undefined) return fail('length() takes one argument');
    if (typeof value === 'string') return known([...value].length);
    const elements = elementsOf(value);
    return elements ? known(elements.length) : fail(`length() cannot measure ${typeName(value)}`);
  },
  sum: (args) => {
    const items = list('sum', args[0]);
    if (typeof items === 'string') return fail(items);
    const n = numbers('sum', items);
    return typeof n === 'string' ? fail(n) : known(n.reduce((a, b) => a + b, 0));
  },
  alltrue: (args) => {
    const items = list('alltrue', args[0]);
    return typeof items === 'string' ? fail(items) : known(items.every((v) => toBool(v) === true));
  },
  anytrue: (args) => {
    const items = list('anytrue', args[0]);
    return typeof items === 'string' ? fail(items) : known(items.some((v) => toBool(v) === true));
  },
  contains,
  index: indexOf,
  element,
  slice,
  lookup,
  merge,
  keys: keysOrValues('keys'),
  values: keysOrValues('values'),
  zipmap,
  coalesce,
  coalescelist: (args) => known(args.find((a) => Array.isArray(a) && a.length > 0) ?? []),
  one,
  range,
  tostring: conversion('tostring', (v) => toText(v)),
  tonumber: conversion('tonumber', (v) => toNumber(v)),
  tobool: conversion('tobool', (v) => toBool(v)),
  tolist: conversion('tolist', (v) => (Array.isArray(v) ? v : undefined)),
  toset: conversion('toset', (v) => (Array.isArray(v) ? distinct(v) : undefined)),
  tomap: conversion('tomap', (v) => (isObject(v) ? v : undefined)),
  cidrsubnet,
  cidrhost,
  cidrsubnets,
  cidrnetmask: (args) => {
    const net = network('cidrnetmask', args[0] ?? null);
    if (typeof net === 'string') return fail(net);
    if (net.family !== 4) return fail('cidrnetmask() works on IPv4 prefixes only');
    return known(bigintToAddress(((1n << 32n) - 1n) ^ ((1n << BigInt(32 - net.prefix)) - 1n), 4));
  },
};

/** Functions whose arguments are not all evaluated first: try() and can() look at each one's outcome. */
export const LAZY_FUNCTIONS = new Set(['try', 'can']);

export function callFunction(name: string, args: TfValue[]): Evaluated | undefined {
  const fn = FUNCTIONS[name];
  return fn ? fn(args) : undefined;
}
