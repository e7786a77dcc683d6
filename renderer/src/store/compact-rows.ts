// Rows as the page keeps them. A summary parsed from JSON is about twenty heap objects, and
// half of them are fresh copies of the same few strings: the method, the state, the host,
// the route and its target, the client, the content type. With 100,000 rows that is two
// million objects, all walked by every major collection of the page, which under a flood
// is what makes a frame late. Each row keeps one shared copy of those strings instead, and
// parts that carry nothing (no marks, no request body) point to one frozen empty value.
// Values are never changed, only which (equal) instance a row holds.
import type { BodyInfo, ExchangeSummary } from '../../../proxy-core/contract/index.js';

/** Distinct strings kept; past this, new ones stay as they came (a backend can send endless content types). */
export const SHARED_STRINGS_LIMIT = 4096;
/** Longer strings are rarely repeated (URLs, error messages) and are kept as they came. */
const SHARED_LENGTH_LIMIT = 200;

const NO_MARKS: Readonly<Record<string, string>> = Object.freeze({});
const NO_BODY: Readonly<BodyInfo> = Object.freeze({ size: 0, captured: 0, truncated: false });

export class RowCompactor {
  private readonly strings = new Map<string, string>();

  get size(): number {
    return this.strings.size;
  }

  /** The shared instance of `value` (the first one seen), or `value` when it is not shared. */
  shared<T extends string>(value: T): T {
    if (value.length > SHARED_LENGTH_LIMIT) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    if (this.strings.size < SHARED_STRINGS_LIMIT) this.strings.set(value, value);
    return value;
  }

  /** The same summary, holding shared strings and empty parts (changed in place: it is the page's own copy). */
  compact(x: ExchangeSummary): ExchangeSummary {
    x.kind = this.shared(x.kind);
    x.state = this.shared(x.state);
    x.scheme = this.shared(x.scheme);
    x.client = this.shared(x.client);
    x.httpVersion = this.shared(x.httpVersion);
    x.method = this.shared(x.method);
    x.host = this.shared(x.host);
    // Optional ones only when present: adding a property a row did not have would give
    // every row a property array of its own.
    if (x.route !== undefined) x.route = this.shared(x.route);
    if (x.target !== undefined) x.target = this.shared(x.target);
    if (x.contentType !== undefined) x.contentType = this.shared(x.contentType);
    if (x.contentEncoding !== undefined) x.contentEncoding = this.shared(x.contentEncoding);
    if (isEmptyBody(x.request)) x.request = NO_BODY;
    if (isEmptyBody(x.response)) x.response = NO_BODY;
    if (isEmpty(x.marks)) x.marks = NO_MARKS;
    return x;
  }
}

const isEmptyBody = (b: BodyInfo) => b.size === 0 && b.captured === 0 && !b.truncated;

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
