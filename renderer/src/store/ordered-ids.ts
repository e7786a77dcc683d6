// Lists of exchange ids kept in start-time order (ties in arrival order), and the few
// operations the store and the live filter apply to them a batch at a time. The lists hold
// up to 100,000 ids, so nothing here walks or moves the whole list for one row.

/** A row's place in the list: its start time. */
export type OrderOf = (id: string) => number;

/** The first index in `ids` whose order is above `key` (after every tie). */
function after(ids: readonly string[], key: number, orderOf: OrderOf): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (orderOf(ids[mid]!) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `id` is in `ids`, or -1: a binary search, then its ties. */
export function indexInOrder(ids: readonly string[], id: string, orderOf: OrderOf): number {
  const key = orderOf(id);
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (orderOf(ids[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < ids.length && orderOf(ids[i]!) === key; i++) if (ids[i] === id) return i;
  return -1;
}

/**
 * Puts a batch of new ids where their order places them. Short exchanges are announced when
 * they finish, so a batch comes in finishing order and many of its rows started before the
 * last listed one: inserting those one at a time moved the whole list for each of them (a
 * splice into 100,000 ids), thousands of times a second. Instead the batch is sorted and
 * merged with the part of the list from its earliest start on, which is short.
 */
export function insertAllInOrder(ids: string[], added: readonly string[], orderOf: OrderOf): void {
  if (added.length === 0) return;
  // Each row's place is read once (a map lookup): sorting by calling orderOf in the
  // comparator read it a dozen times per row.
  let keys = added.map(orderOf);
  let batch = added;
  if (keys.some((key, k) => k > 0 && key < keys[k - 1]!)) {
    const sorted = keys.map((_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b);
    batch = sorted.map((k) => added[k]!);
    keys = sorted.map((k) => keys[k]!);
  }
  const from = after(ids, keys[0]!, orderOf);
  // Merged from the back into the grown list: the list is never shortened, which would
  // make V8 shrink its storage and copy all of it again on the next push.
  let i = ids.length - 1;
  let j = batch.length - 1;
  for (const id of batch) ids.push(id);
  for (let to = ids.length - 1; j >= 0; to--) {
    ids[to] = i >= from && orderOf(ids[i]!) > keys[j]! ? ids[i--]! : batch[j--]!;
  }
}

/**
 * `ids` minus `gone` (the same array when nothing in it is gone). The store evicts the
 * oldest first, so what goes is nearly always a prefix: a slice then; otherwise one pass.
 */
export function withoutIds(ids: string[], gone: ReadonlySet<string>): string[] {
  let prefix = 0;
  while (prefix < ids.length && gone.has(ids[prefix]!)) prefix++;
  if (prefix === gone.size) return prefix === 0 ? ids : ids.slice(prefix);
  let i = prefix;
  while (i < ids.length && !gone.has(ids[i]!)) i++;
  if (i === ids.length) return prefix === 0 ? ids : ids.slice(prefix);
  return ids.filter((id) => !gone.has(id));
}
