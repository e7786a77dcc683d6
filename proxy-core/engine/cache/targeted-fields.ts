// Targeted cache control (RFC 9213): response fields such as CDN-Cache-Control carry
// Cache-Control directives for one class of caches. A route's cache lists the fields it
// obeys, most specific first. The first listed field present with a valid, non-empty
// value decides, and Cache-Control and Expires are then ignored for this cache (§2.2);
// with none, Cache-Control decides as usual. Targeted fields are Structured Field
// Dictionaries (RFC 8941): a value that does not parse as one is invalid as a whole,
// which differs from Cache-Control's forgiving syntax — hence a real SF parser here.
import type { IncomingHttpHeaders } from 'node:http';
import { parseDictionary, Token } from 'structured-headers';
import type { Directives } from './cache-control.js';

/** Directives whose argument is delta-seconds: an Integer in a Structured Field. */
const DELTA_SECONDS = new Set(['max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error']);

export const DEFAULT_TARGETS: readonly string[] = ['CDN-Cache-Control'];

/** A targeted field's directives, or undefined when its value is absent, invalid or empty. */
export function parseTargeted(value: string | readonly string[] | undefined): Directives | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : value.join(', ');
  let dictionary;
  try {
    dictionary = parseDictionary(text);
  } catch {
    return undefined;
  }
  if (dictionary.size === 0) return undefined;
  const values = new Map<string, string | true>();
  for (const [name, [item]] of dictionary) {
    // Directives without an argument are Boolean true; false means the directive is not there.
    if (item === true) values.set(name, true);
    else if (typeof item === 'number') values.set(name, String(item));
    // A String where the directive takes delta-seconds ("max-age=\"60\"") is the wrong
    // type: kept as an argument no delta-seconds parser accepts, so the response is stale.
    else if (typeof item === 'string') values.set(name, DELTA_SECONDS.has(name) ? `"${item}"` : item);
    else if (item instanceof Token) values.set(name, item.toString());
    // Inner lists, byte sequences and false carry no cache directive.
  }
  return { values, repeated: new Set() };
}

/** Which field decides for this cache, and its directives; undefined → Cache-Control decides. */
export function selectTargeted(headers: IncomingHttpHeaders, targets: readonly string[]): { field: string; directives: Directives } | undefined {
  for (const field of targets) {
    const directives = parseTargeted(headers[field.toLowerCase()]);
    if (directives) return { field, directives };
  }
  return undefined;
}
