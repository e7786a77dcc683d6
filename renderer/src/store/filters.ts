// What a row must have to stay in the list: the filter bar's choices as one predicate.
// The text box searches the URL, the header names and values and the marks. HTTP/2
// pseudo-headers (":authority", ":path") are left out — every request has them, so "auth"
// would match them all — unless the query asks for headers: `header:` searches every header
// line, pseudo-headers included, as "name: value".
import type { Exchange } from '../../../proxy-core/contract/index.js';
import type { State, TrafficFilters } from './types.js';

const HEADER_PREFIX = 'header:';

interface Haystacks {
  /** URL, ordinary headers and marks, lower-cased. */
  plain: string;
  /** Every header line, pseudo-headers included, lower-cased. */
  headers: string;
}

/** Built once per snapshot (an update brings a new object, so it is never stale). */
const haystacks = new WeakMap<Exchange, Haystacks>();

function haystackOf(x: Exchange): Haystacks {
  let found = haystacks.get(x);
  if (found === undefined) {
    const lines = [...x.requestHeaders, ...x.responseHeaders];
    const plainHeaders = lines.filter(([name]) => !name.startsWith(':')).map(([n, v]) => `${n}: ${v}`);
    // Marks too, so "retry" or "throttle" finds the exchanges Portico did something to.
    const marks = Object.entries(x.marks).map(([k, v]) => `${k}: ${v}`);
    found = {
      plain: `${x.scheme}://${x.host}${x.url}\n${plainHeaders.join('\n')}\n${marks.join('\n')}`.toLowerCase(),
      headers: lines.map(([n, v]) => `${n}: ${v}`).join('\n').toLowerCase(),
    };
    haystacks.set(x, found);
  }
  return found;
}

export function isError(x: Exchange): boolean {
  return x.state === 'failed' || x.error !== undefined || (x.status ?? 0) >= 400;
}

export function hasFilters(f: TrafficFilters): boolean {
  return f.host !== '' || f.method !== '' || f.status !== '' || f.text.trim() !== '' || f.errorsOnly;
}

/** The filters as a predicate over exchanges, or undefined when nothing is filtered. */
export function predicateOf(f: TrafficFilters): ((x: Exchange) => boolean) | undefined {
  if (!hasFilters(f)) return undefined;
  let text = f.text.trim().toLowerCase();
  const inHeaders = text.startsWith(HEADER_PREFIX);
  if (inHeaders) text = text.slice(HEADER_PREFIX.length).trim();
  const statusClass = /^[1-5]$/.test(f.status) ? Number(f.status) : undefined;
  return (x) => {
    if (f.host !== '' && x.host !== f.host) return false;
    if (f.method !== '' && x.method !== f.method) return false;
    if (f.status === 'pending' && x.status !== undefined) return false;
    if (f.status === 'failed' && x.state !== 'failed') return false;
    if (statusClass !== undefined && Math.floor((x.status ?? 0) / 100) !== statusClass) return false;
    if (f.errorsOnly && !isError(x)) return false;
    if (text === '') return true;
    const hay = haystackOf(x);
    return (inHeaders ? hay.headers : hay.plain).includes(text);
  };
}

/** The rows the list shows: everything, or what the filters let through. */
export function selectVisibleIds(s: State): string[] {
  return hasFilters(s.filters) ? s.visible.ids : s.traffic.ids;
}
