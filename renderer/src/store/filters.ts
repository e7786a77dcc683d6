// What a row must have to stay in the list: the filter bar's choices as one predicate.
// The text box searches the URL, the header names and values and the marks. Rows here are
// summaries (no header lists), so the URL and marks are tested here and the headers by the
// engine (traffic.search), whose answer comes in as `engineMatches`. HTTP/2 pseudo-headers
// (":authority", ":path") are left out — every request has them — unless the query asks for
// headers: `header:` searches every header line, pseudo-headers included, as "name: value",
// and only the engine can answer it.
import type { ExchangeSummary } from '../../../proxy-core/contract/index.js';
import type { State, TrafficFilters } from './types.js';

const HEADER_PREFIX = 'header:';

/** Built once per summary (an update brings a new object, so it is never stale). */
const haystacks = new WeakMap<ExchangeSummary, string>();

/** URL and marks, lower-cased. */
function haystackOf(x: ExchangeSummary): string {
  let found = haystacks.get(x);
  if (found === undefined) {
    // Marks too, so "retry" or "throttle" finds the exchanges Portico did something to.
    const marks = Object.entries(x.marks).map(([k, v]) => `${k}: ${v}`);
    found = `${x.scheme}://${x.host}${x.url}\n${marks.join('\n')}`.toLowerCase();
    haystacks.set(x, found);
  }
  return found;
}

/** The filter text the engine is asked about, or '' when the text box is empty. */
export function searchTextOf(f: TrafficFilters): string {
  return f.text.trim();
}

export function isError(x: ExchangeSummary): boolean {
  return x.state === 'failed' || x.error !== undefined || (x.status ?? 0) >= 400;
}

export function hasFilters(f: TrafficFilters): boolean {
  return f.host !== '' || f.method !== '' || f.status !== '' || f.text.trim() !== '' || f.errorsOnly;
}

/** The text box as searched: lower-cased, and whether it asks for headers alone. */
function queryOf(f: TrafficFilters): { text: string; inHeaders: boolean } {
  const text = f.text.trim().toLowerCase();
  const inHeaders = text.startsWith(HEADER_PREFIX);
  return { text: inHeaders ? text.slice(HEADER_PREFIX.length).trim() : text, inHeaders };
}

/**
 * Whether every row `after` lets through, `before` let through too — typing one more letter,
 * picking a host where there was none, ticking "errors only" — so a new pass need only test
 * the rows listed now. Header matches come from the engine's answer for each text, so a longer
 * text finds its header matches among the shorter one's.
 */
export function narrows(before: TrafficFilters, after: TrafficFilters): boolean {
  const kept = (was: string, now: string) => was === '' || was === now;
  if (!kept(before.host, after.host) || !kept(before.method, after.method) || !kept(before.status, after.status)) return false;
  if (before.errorsOnly && !after.errorsOnly) return false;
  const [was, now] = [queryOf(before), queryOf(after)];
  if (was.text === '') return true;
  return was.inHeaders === now.inHeaders && now.text.includes(was.text);
}

/** The filters as a predicate over exchanges, or undefined when nothing is filtered. */
export function predicateOf(
  f: TrafficFilters,
  /** Ids the engine found the text in (headers included); grows as its answers come. */
  engineMatches: ReadonlySet<string> = new Set(),
): ((x: ExchangeSummary) => boolean) | undefined {
  if (!hasFilters(f)) return undefined;
  const { text, inHeaders } = queryOf(f);
  const statusClass = /^[1-5]$/.test(f.status) ? Number(f.status) : undefined;
  return (x) => {
    if (f.host !== '' && x.host !== f.host) return false;
    if (f.method !== '' && x.method !== f.method) return false;
    if (f.status === 'pending' && x.status !== undefined) return false;
    if (f.status === 'failed' && x.state !== 'failed') return false;
    if (statusClass !== undefined && Math.floor((x.status ?? 0) / 100) !== statusClass) return false;
    if (f.errorsOnly && !isError(x)) return false;
    if (text === '') return true;
    if (engineMatches.has(x.id)) return true;
    return !inHeaders && haystackOf(x).includes(text);
  };
}

/** The rows the list shows: everything, or what the filters let through. */
export function selectVisibleIds(s: State): string[] {
  return hasFilters(s.filters) ? s.visible.ids : s.traffic.ids;
}

/** Changes whenever the rows the list shows change (the array itself is changed in place). */
export function selectVisibleVersion(s: State): number {
  return hasFilters(s.filters) ? s.visible.version : s.traffic.version;
}
