// The text filter's search over stored exchanges, answered in the engine: the renderer only
// holds summaries (no header lists), so header names and values are searched here. The
// rules mirror the renderer's filter (renderer/src/store/filters.ts): the text is looked for,
// case-insensitively, in the URL, the ordinary headers ("name: value") and the marks;
// HTTP/2 pseudo-headers only when the text starts with "header:", which searches header
// lines alone. Kept to one function over the store's exchanges so the walk can move to the
// store's own iteration without changing the command.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Exchange, HeaderPairs } from '../contract/index.js';

const HEADER_PREFIX = 'header:';

interface Searchable {
  readonly id: string;
  snapshot(): Exchange;
}

export interface SearchQuery {
  text: string;
  /** False: URL and marks only (what a summary can answer). Default true. */
  headers?: boolean;
  /** True: only exchanges whose headers hold the text and whose URL and marks do not. */
  headersAlone?: boolean;
}

/** Ids, oldest first, of the exchanges whose text contains the query. */
export function searchExchanges(exchanges: Iterable<Searchable>, query: SearchQuery): string[] {
  let text = query.text.trim().toLowerCase();
  const onlyHeaders = text.startsWith(HEADER_PREFIX);
  if (onlyHeaders) text = text.slice(HEADER_PREFIX.length).trim();
  const ids: string[] = [];
  if (text === '') return ids;
  const withHeaders = query.headers !== false;
  const alone = query.headersAlone === true;
  for (const record of exchanges) {
    const x = record.snapshot();
    if (matches(x, text, onlyHeaders, withHeaders, alone)) ids.push(record.id);
  }
  return ids;
}

/** Exchanges looked at between two checks of the clock (an archived one takes a few µs). */
const SLICE_COUNT = 64;

/**
 * The same search a slice of a few milliseconds at a time: the engine that answers it also
 * proxies, and a walk over 100,000 exchanges (about half a second) in one go would hold
 * every request meanwhile. A request that arrives waits for the slice under way, so slices
 * are short: with 8 ms, a client keeping 16 connections busy at 2,000 requests a second
 * got 18,600 of its 20,000 through in the 10 s one search of 100,000 ran; with 2 ms, 19,600.
 * Exchanges evicted during the walk are skipped; ones that arrive are the renderer's to ask about.
 */
export async function searchExchangesInSlices(exchanges: Iterable<Searchable>, query: SearchQuery, sliceMs = 2): Promise<string[]> {
  const ids: string[] = [];
  let slice: Searchable[] = [];
  let deadline = performance.now() + sliceMs;
  for (const x of exchanges) {
    slice.push(x);
    if (slice.length < SLICE_COUNT) continue;
    ids.push(...searchExchanges(slice, query));
    slice = [];
    if (performance.now() > deadline) {
      await nextTurn();
      deadline = performance.now() + sliceMs;
    }
  }
  ids.push(...searchExchanges(slice, query));
  return ids;
}

function matches(x: Exchange, text: string, onlyHeaders: boolean, withHeaders: boolean, headersAlone: boolean): boolean {
  if (!onlyHeaders) {
    if (`${x.scheme}://${x.host}${x.url}`.toLowerCase().includes(text)) return !headersAlone;
    for (const [k, v] of Object.entries(x.marks)) if (`${k}: ${v}`.toLowerCase().includes(text)) return !headersAlone;
    if (!withHeaders) return false;
  }
  return inHeaders(x.requestHeaders, text, onlyHeaders) || inHeaders(x.responseHeaders, text, onlyHeaders);
}

function inHeaders(pairs: HeaderPairs, text: string, pseudo: boolean): boolean {
  for (const [name, value] of pairs) {
    if (!pseudo && name.startsWith(':')) continue;
    if (`${name}: ${value}`.toLowerCase().includes(text)) return true;
  }
  return false;
}
