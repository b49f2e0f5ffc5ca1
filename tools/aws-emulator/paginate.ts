// Pagination and filters as the describe calls apply them.

import { invalidParameterValue } from './errors';
import type { Json } from './state';

export interface PageRequest {
  /** MaxResults (EC2) or MaxRecords (RDS) as the client sent it. */
  max?: number;
  /** NextToken (EC2) or Marker (RDS). */
  token?: string;
  /** The emulator's own page size: pages never grow past it, so clients must paginate. */
  pageSize: number;
  /** The range AWS accepts for max, e.g. [5, 1000]. */
  range: [number, number];
  /** Names the parameters in error messages. */
  maxName: string;
  tokenName: string;
  /** Tokens are bound to the action they came from. */
  action: string;
}

interface TokenBody { a: string; o: number }

export function paginate<T>(items: T[], request: PageRequest): { page: T[]; next?: string } {
  const [min, max] = request.range;
  if (request.max !== undefined && (!Number.isInteger(request.max) || request.max < min || request.max > max)) {
    throw invalidParameterValue(`Value ( ${request.max} ) for parameter ${request.maxName} is invalid. Expecting a value between ${min} and ${max}.`);
  }
  let offset = 0;
  if (request.token !== undefined && request.token !== '') {
    let body: TokenBody | undefined;
    try {
      body = JSON.parse(Buffer.from(request.token, 'base64url').toString('utf8')) as TokenBody;
    } catch {
      body = undefined;
    }
    if (!body || body.a !== request.action || !Number.isInteger(body.o) || body.o < 0) {
      throw invalidParameterValue(`The ${request.tokenName} '${request.token}' is invalid.`);
    }
    offset = body.o;
  }
  const size = Math.min(request.max ?? Number.POSITIVE_INFINITY, request.pageSize);
  const page = items.slice(offset, offset + size);
  const end = offset + page.length;
  const next = end < items.length ? Buffer.from(JSON.stringify({ a: request.action, o: end } satisfies TokenBody)).toString('base64url') : undefined;
  return next === undefined ? { page } : { page, next };
}

/** AWS filter values accept * (any run) and ? (one character); plain values are compared as they are. */
function valueMatcher(values: string[]): (have: string) => boolean {
  const exact = new Set(values.filter((v) => !/[*?]/.test(v)));
  const patterns = values.filter((v) => /[*?]/.test(v))
    .map((v) => new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's'));
  return (have) => exact.has(have) || patterns.some((p) => p.test(have));
}

export interface Filter { Name?: string; Values?: string[] }

/**
 * Keeps the items that pass every filter. `fields` maps a filter name to the values an item has for
 * it; a filter name the action does not support is an error, as on AWS.
 */
export function applyFilters<T>(
  items: T[],
  filters: Filter[] | undefined,
  fields: Record<string, (item: T) => (string | undefined)[]>,
  unknownFilter: (name: string) => Error,
): T[] {
  let out = items;
  for (const filter of filters ?? []) {
    const name = filter.Name ?? '';
    let values: (item: T) => (string | undefined)[];
    if (fields[name]) values = fields[name];
    else if (name.startsWith('tag:') && fields['tag:']) {
      const key = name.slice(4);
      values = (item) => fields['tag:'](item).map((pair) => {
        const [k, v] = JSON.parse(pair ?? '[]') as [string, string];
        return k === key ? v : undefined;
      });
    } else throw unknownFilter(name);
    const matches = valueMatcher(filter.Values ?? []);
    out = out.filter((item) => values(item).some((have) => have !== undefined && matches(have)));
  }
  return out;
}

/** Tag filter support: the item's tags as JSON [key, value] strings, for the 'tag:' field. */
export function tagPairs(item: Json, key = 'Tags'): string[] {
  return ((item[key] as Json[] | undefined) ?? []).map((t) => JSON.stringify([t.Key, t.Value]));
}
