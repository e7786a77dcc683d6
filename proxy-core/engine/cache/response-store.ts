// The cache's memory: stored responses by URL, bounded by bytes, least recently used out
// first. A URL holds several variants when the backend says `Vary`; http-cache.ts
// decides which one a request may use, this only keeps them and counts their bytes.
import type { IncomingHttpHeaders } from 'node:http';
import type { AgeClock, ResponseRules } from './freshness.js';

export interface StoredResponse {
  readonly status: number;
  /** The stored header fields (stored-headers.ts); a 304 or a HEAD updates them. */
  headers: IncomingHttpHeaders;
  /** Freshness and directives, worked out again whenever the headers change. */
  rules: ResponseRules;
  clock: AgeClock;
  /** The request's values of the fields Vary names, for matching later requests (§4.1). */
  readonly varyRequest: Readonly<Record<string, string>>;
  /** The route's RFC 9213 target fields when it was stored. */
  readonly targets: readonly string[];
  /** A HEAD response said the representation changed: revalidate before any reuse. */
  mustRevalidate?: boolean;
  /** The backend's (identity) body, as the chunks it arrived in. */
  readonly body: readonly Buffer[];
  readonly size: number;
  /** Which route stored it, for purging one route. */
  readonly route: string;
  /** Kept by the route's dev mode: the backend said nothing about caching. */
  readonly dev?: boolean;
}

export interface StoreLimits {
  maxBytes: number;
  maxEntryBytes: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 8 * 1024 * 1024 };

/** Headers count too: a flood of tiny bodies with big headers must not escape the bound. */
function weigh(headers: IncomingHttpHeaders, bodySize: number): number {
  let size = bodySize + 256;
  for (const [name, value] of Object.entries(headers)) size += name.length + String(value).length;
  return size;
}

export class ResponseStore {
  // A Map iterates in insertion order: deleting and re-adding a key on use keeps the
  // least recently used URL first, which is the one eviction takes.
  private readonly urls = new Map<string, StoredResponse[]>();
  private used = 0;

  constructor(private limits: StoreLimits = DEFAULT_LIMITS) {}

  /** New limits from the settings; what no longer fits goes at once. */
  setLimits(limits: StoreLimits): void {
    this.limits = limits;
    this.purge((_key, entry) => !this.fits(entry.body.reduce((n, chunk) => n + chunk.length, 0)));
    this.evict();
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    let n = 0;
    for (const variants of this.urls.values()) n += variants.length;
    return n;
  }

  /** The variants stored for a URL, marking it recently used. */
  variants(key: string): readonly StoredResponse[] {
    const list = this.urls.get(key);
    if (!list) return [];
    this.urls.delete(key);
    this.urls.set(key, list);
    return list;
  }

  /** Would a body this big be kept? Lets the caller stop teeing early. */
  fits(bodySize: number): boolean {
    return bodySize <= this.limits.maxEntryBytes;
  }

  /** Stores a response, replacing the variant it supersedes (`same` says which). */
  put(key: string, entry: Omit<StoredResponse, 'size'>, same: (old: StoredResponse) => boolean): boolean {
    const bodySize = entry.body.reduce((n, c) => n + c.length, 0);
    if (!this.fits(bodySize)) return false;
    const stored: StoredResponse = { ...entry, size: weigh(entry.headers, bodySize) };
    const list = (this.urls.get(key) ?? []).filter((old) => {
      if (!same(old)) return true;
      this.used -= old.size;
      return false;
    });
    list.push(stored);
    this.used += stored.size;
    this.urls.delete(key);
    this.urls.set(key, list);
    this.evict();
    return true;
  }

  /** A 304 or a HEAD refreshed a variant's headers and freshness; its body stays. */
  refresh(key: string, entry: StoredResponse, update: Pick<StoredResponse, 'headers' | 'rules' | 'clock'>): void {
    if (!this.urls.get(key)?.includes(entry)) return;
    Object.assign(entry, update, { mustRevalidate: false });
  }

  /** Drops every variant of a URL; the count dropped. */
  delete(key: string): number {
    const list = this.urls.get(key);
    if (!list) return 0;
    for (const entry of list) this.used -= entry.size;
    this.urls.delete(key);
    return list.length;
  }

  /** Purges by route and/or URL key; with neither, everything. Returns how many went. */
  purge(match: (key: string, entry: StoredResponse) => boolean = () => true): number {
    let dropped = 0;
    for (const [key, list] of [...this.urls]) {
      const keep = list.filter((e) => !match(key, e));
      for (const e of list) if (!keep.includes(e)) this.used -= e.size;
      dropped += list.length - keep.length;
      if (keep.length === 0) this.urls.delete(key);
      else this.urls.set(key, keep);
    }
    return dropped;
  }

  private evict(): void {
    for (const key of this.urls.keys()) {
      if (this.used <= this.limits.maxBytes) return;
      this.delete(key);
    }
  }
}
