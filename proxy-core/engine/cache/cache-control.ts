// Cache-Control as RFC 9111 §5.2 reads it: a comma-separated list of directives whose
// names compare case-insensitively, each with an optional argument in token or
// quoted-string form (a quoted string may hold commas). Unknown directives are kept and
// ignored by the rules. A directive that appears more than once is remembered, so the
// freshness rules can treat a repeated max-age as invalid (§4.2.1).

export interface Directives {
  /** Lower-case directive name → its argument (unquoted), or true when it has none. */
  readonly values: ReadonlyMap<string, string | true>;
  /** Names that appeared more than once. */
  readonly repeated: ReadonlySet<string>;
}

export const NO_DIRECTIVES: Directives = { values: new Map(), repeated: new Set() };

/** Splits on commas outside quoted strings. */
function elements(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** A quoted-string's content, or the token as it is. */
function argument(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  return raw;
}

export function parseCacheControl(field: string | readonly string[] | undefined): Directives {
  if (field === undefined) return NO_DIRECTIVES;
  const text = typeof field === 'string' ? field : field.join(',');
  const values = new Map<string, string | true>();
  const repeated = new Set<string>();
  for (const element of elements(text)) {
    const trimmed = element.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const name = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    if (values.has(name)) repeated.add(name);
    else values.set(name, eq < 0 ? true : argument(trimmed.slice(eq + 1)));
  }
  return { values, repeated };
}

/** RFC 9111 §1.2.2: delta-seconds too large to hold are 2^31. */
const MAX_DELTA = 2 ** 31;

/**
 * A delta-seconds argument (max-age, s-maxage, stale-if-error…): its value, undefined
 * when the directive is absent, or 'invalid' when it is repeated, has no argument, or the
 * argument is not digits.
 */
export function deltaSeconds(directives: Directives, name: string): number | 'invalid' | undefined {
  const value = directives.values.get(name);
  if (value === undefined) return undefined;
  if (value === true || directives.repeated.has(name) || !/^\d+$/.test(value)) return 'invalid';
  return Math.min(Number(value), MAX_DELTA);
}

/** A delta-seconds argument, 0 when absent or invalid (for the stale-* extensions). */
export const secondsOr0 = (directives: Directives, name: string): number => {
  const value = deltaSeconds(directives, name);
  return typeof value === 'number' ? value : 0;
};

export const has = (directives: Directives, name: string): boolean => directives.values.has(name);

/** The field names a qualified no-cache or private names ("no-cache=\"set-cookie\""). */
export function qualifiedFields(directives: Directives, name: string): string[] {
  const value = directives.values.get(name);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((field) => field.trim().toLowerCase())
    .filter(Boolean);
}
