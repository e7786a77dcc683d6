// Lists of exchange ids kept in start-time order (ties in arrival order), and the few
// operations the store and the live filter apply to them a batch at a time. The lists hold
// up to 100,000 ids, so nothing here walks or moves the whole list for one row.

/** A row's place in the list: its start time. */
export type OrderOf = (id: string) => number;

/** The first index in `ids` (up to `end`) whose order is above `key` (after every tie). */
function after(ids: readonly string[], key: number, orderOf: OrderOf, end = ids.length): number {
  let lo = 0;
  let hi = end;
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
 * Takes `gone` out of `ids` and puts `added` in place, in the same array; true when it
 * changed. The lists are changed in place, not copied: a copy of 100,000 ids is a large
 * object V8 allocates apart and collects with the old generation, and two copies per list
 * per update (one without the evicted rows, one more when it grew) cost the page about 3 ms
 * each under a flood, mostly in garbage collection; moving the rest down costs 20 µs.
 */
export function updateInPlace(ids: string[], gone: ReadonlySet<string> | undefined, added: readonly string[], orderOf: OrderOf): boolean {
  const removed = gone ? removeInPlace(ids, gone) : 0;
  if (added.length === 0) return removed > 0;
  const start = ids.length;
  for (const id of added) ids.push(id);
  mergeTail(ids, start, orderOf);
  return true;
}

/**
 * Puts the ids from `start` on (a batch just appended) where their order places them.
 * Short exchanges are announced when they finish, so a batch comes in finishing order and
 * many of its rows started before the last listed one: inserting those one at a time moved
 * the whole list for each of them (a splice into 100,000 ids), thousands of times a second.
 * Instead the batch is sorted and merged, from the back, with the part of the list from its
 * earliest start on, which is short.
 */
function mergeTail(ids: string[], start: number, orderOf: OrderOf): void {
  const added = ids.slice(start);
  // Each row's place is read once (a map lookup): sorting by calling orderOf in the
  // comparator read it a dozen times per row.
  let keys = added.map(orderOf);
  let batch = added;
  if (keys.some((key, k) => k > 0 && key < keys[k - 1]!)) {
    const sorted = keys.map((_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b);
    batch = sorted.map((k) => added[k]!);
    keys = sorted.map((k) => keys[k]!);
  }
  const from = after(ids, keys[0]!, orderOf, start);
  let i = start - 1;
  let j = batch.length - 1;
  for (let to = ids.length - 1; j >= 0; to--) ids[to] = i >= from && orderOf(ids[i]!) > keys[j]! ? ids[i--]! : batch[j--]!;
}

/** Takes `gone` out of `ids`, in place; how many it took out. The evicted are nearly always a prefix. */
export function removeInPlace(ids: string[], gone: ReadonlySet<string>): number {
  const before = ids.length;
  let prefix = 0;
  while (prefix < ids.length && gone.has(ids[prefix]!)) prefix++;
  if (prefix === gone.size) {
    // V8 moves the rest down in one go (copyWithin, element by element, took 150 times longer).
    if (prefix > 0) ids.splice(0, prefix);
    return prefix;
  }
  // Some are further in (or were never listed): one pass keeps the others.
  let kept = 0;
  for (let read = prefix; read < ids.length; read++) if (!gone.has(ids[read]!)) ids[kept++] = ids[read]!;
  ids.length = kept;
  return before - kept;
}
