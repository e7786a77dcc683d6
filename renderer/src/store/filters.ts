// The traffic list after filters. Memoized on (traffic version, filters): recomputed once
// per applied batch at most, and not at all when nothing is filtered.
import type { Exchange } from '../../../proxy-core/contract/index.js';
import type { State, TrafficFilters } from './types.js';

/** Lower-cased URL, headers and marks of an exchange, built once per snapshot. */
const haystacks = new WeakMap<Exchange, string>();

function haystack(x: Exchange): string {
  let text = haystacks.get(x);
  if (text === undefined) {
    const headers = [...x.requestHeaders, ...x.responseHeaders].map(([n, v]) => `${n}: ${v}`).join('\n');
    // Marks too, so "retry" or "throttle" finds the exchanges Portico did something to.
    const marks = Object.entries(x.marks).map(([k, v]) => `${k}: ${v}`).join('\n');
    text = `${x.scheme}://${x.host}${x.url}\n${headers}\n${marks}`.toLowerCase();
    haystacks.set(x, text);
  }
  return text;
}

export function isError(x: Exchange): boolean {
  return x.state === 'failed' || x.error !== undefined || (x.status ?? 0) >= 400;
}

export function hasFilters(f: TrafficFilters): boolean {
  return f.host !== '' || f.method !== '' || f.status !== '' || f.text.trim() !== '' || f.errorsOnly;
}

export function matches(x: Exchange, f: TrafficFilters, text: string): boolean {
  if (f.host !== '' && x.host !== f.host) return false;
  if (f.method !== '' && x.method !== f.method) return false;
  if (f.status === 'pending' && x.status !== undefined) return false;
  if (f.status === 'failed' && x.state !== 'failed') return false;
  if (/^[1-5]$/.test(f.status) && Math.floor((x.status ?? 0) / 100) !== Number(f.status)) return false;
  if (f.errorsOnly && !isError(x)) return false;
  return text === '' || haystack(x).includes(text);
}

let memo: { version: number; filters: TrafficFilters | undefined; ids: string[] } = { version: -1, filters: undefined, ids: [] };

export function selectVisibleIds(s: State): string[] {
  const { traffic, filters } = s;
  if (!hasFilters(filters)) return traffic.ids;
  if (memo.version === traffic.version && memo.filters === filters) return memo.ids;
  const text = filters.text.trim().toLowerCase();
  const ids = traffic.ids.filter((id) => {
    const x = traffic.byId.get(id);
    return x !== undefined && matches(x, filters, text);
  });
  memo = { version: traffic.version, filters, ids };
  return ids;
}

