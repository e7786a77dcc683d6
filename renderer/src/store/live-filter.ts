// The filtered list, kept up to date a batch at a time: new rows are tested as they come,
// evicted ones dropped (nearly always a prefix: a slice), updated ones re-tested. Only a
// change of the filters themselves needs a pass over every row, and that pass runs in
// slices of a few milliseconds (step), so typing over 100,000 rows never blocks input;
// batches that arrive meanwhile are applied to the part already done and to the new rows.
import type { ExchangeSummary } from '../../../proxy-core/contract/index.js';
import { indexInOrder, insertAllInOrder, type OrderOf, withoutIds } from './ordered-ids.js';

export interface TrafficDelta {
  /** New ids, in list order. */
  added: readonly string[];
  /** Ids whose exchange changed (it may match now, or no longer). */
  updated: readonly string[];
  /** Ids that left the list. */
  gone: ReadonlySet<string> | undefined;
}

type Predicate = (x: ExchangeSummary) => boolean;

/**
 * During a full pass, the rows found so far are published at most this often: each
 * publication copies the found list (up to every row) and re-renders the list, and a pass
 * over 100,000 rows takes dozens of slices. The first slice publishes at once.
 */
export const PARTIAL_EVERY_MS = 200;

export class LiveFilter {
  /** The matching ids, in list order (a new array whenever it changes). */
  ids: string[] = [];
  private test: Predicate | undefined;
  /**
   * A full pass in progress: the ids it walks and how far it got, the rows that arrived
   * meanwhile and match (`tail`), and those that changed (re-tested at the end). `holding`:
   * the list shown meanwhile is the one from before, which holds every answer (a narrowing).
   */
  private job: { all: readonly string[]; at: number; found: string[]; updated: Set<string>; tail: string[]; holding: boolean } | undefined;
  /** When step() last published the rows found so far. */
  private publishedAt = -Infinity;

  constructor(
    private readonly lookup: (id: string) => ExchangeSummary | undefined,
    /** A row's place in the list (its start time); ties keep arrival order. */
    private readonly orderOf: OrderOf,
  ) {}

  get filtering(): boolean {
    return this.job !== undefined;
  }

  /**
   * New filters (undefined: none): the list starts over, filled in by step(). When the new
   * filters narrow the old ones (filters.ts `narrows`), only the rows the old ones let through
   * are tested, and a finished list stays shown until the pass ends: it holds every answer,
   * so typing "items" one letter at a time never empties and refills the list, and a letter
   * that drops nothing changes nothing on screen.
   */
  reset(all: readonly string[], test: Predicate | undefined, narrowing = false): void {
    const before = { test: this.test, job: this.job };
    this.test = test;
    this.publishedAt = -Infinity;
    if (!test) {
      // Nothing filtered: the store's own list is the answer, nothing to keep here.
      this.job = undefined;
      this.ids = [];
      return;
    }
    const pass = (over: readonly string[], holding: boolean) => ({ all: over, at: 0, found: [], updated: new Set<string>(), tail: [], holding });
    if (!narrowing) {
      this.job = pass(all, false);
      this.ids = [];
    } else if (!before.test) {
      // Nothing was filtered: every row is a candidate, and the whole list stays shown.
      this.job = pass(all, true);
      this.ids = all.slice();
    } else if (!before.job) {
      this.job = pass(this.ids, true);
    } else {
      // The old pass had not finished: its candidates are what it found and what it had
      // not reached yet; the rows it had put aside are tested now.
      const old = before.job;
      this.job = pass(old.found.concat(old.all.slice(old.at)), false);
      this.job.updated = old.updated;
      this.job.tail = old.tail.filter((id) => this.passes(id));
    }
  }

  private passes(id: string): boolean {
    const x = this.lookup(id);
    return x !== undefined && this.test!(x);
  }

  /** Continues the full pass for about `budgetMs`; true when the list is complete. */
  step(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const job = this.job;
    if (!job || !this.test) return true;
    const until = now() + budgetMs;
    const { all, found } = job;
    while (job.at < all.length) {
      const end = Math.min(all.length, job.at + 500);
      for (; job.at < end; job.at++) if (this.passes(all[job.at]!)) found.push(all[job.at]!);
      if (now() >= until) break;
    }
    if (job.at < all.length) {
      const at = now();
      if (!job.holding && at - this.publishedAt >= PARTIAL_EVERY_MS) {
        this.ids = found.slice();
        this.publishedAt = at;
      }
      return false;
    }
    this.job = undefined;
    // A narrowing that dropped nothing leaves the list as it is (found is a part of it).
    const unchanged = job.holding && job.tail.length === 0 && found.length === this.ids.length;
    if (!unchanged) {
      // Rows that arrived during the pass may have started before the last row it walked.
      insertAllInOrder(found, job.tail, this.orderOf);
      this.ids = found;
    }
    // Rows changed while the pass ran may have been tested under their older state.
    if (job.updated.size > 0) this.apply({ added: [], updated: [...job.updated], gone: undefined });
    return true;
  }

  /** A batch: new, changed and removed rows. */
  apply(delta: TrafficDelta): void {
    const { gone } = delta;
    if (!this.test) return;
    const job = this.job;
    if (job) {
      // The pass reads exchanges when it gets to them; removals and changes are settled
      // when it ends (a removed id is simply not found by lookup any more).
      if (gone) job.found = withoutIds(job.found, gone);
      if (gone) job.tail = withoutIds(job.tail, gone);
      for (const id of delta.updated) job.updated.add(id);
      for (const id of delta.added) if (this.passes(id)) job.tail.push(id);
      // New matches wait in the tail until the pass ends; what is shown meanwhile (the
      // rows found so far, published by step) only loses what left the store.
      if (gone) this.ids = withoutIds(this.ids, gone);
      return;
    }
    let ids = gone ? withoutIds(this.ids, gone) : this.ids;
    let copied = ids !== this.ids;
    const own = () => {
      if (!copied) ids = ids.slice();
      copied = true;
    };
    // Rows that match now and are not listed: put in place together at the end.
    const entering = new Set<string>();
    if (delta.updated.length > 0) {
      // Whether a changed row is listed: a batch's few rows are looked up by their place
      // (a binary search on start time); a Set of 100,000 listed ids for every batch was
      // most of the page's work while a filter was on. Many rows at once (the engine's
      // answer to a new text) go through one Set.
      const shown = delta.updated.length > MANY_UPDATES ? new Set(ids) : undefined;
      // A row new in this batch is tested once, below, even if it also changed within it.
      const added = new Set(delta.added);
      for (const id of delta.updated) {
        if (added.has(id) || entering.has(id)) continue;
        const now = this.passes(id);
        const at = shown ? undefined : indexInOrder(ids, id, this.orderOf);
        if (now === (shown ? shown.has(id) : at! >= 0)) continue;
        if (now) {
          entering.add(id);
          continue;
        }
        own();
        ids.splice(at ?? indexInOrder(ids, id, this.orderOf), 1);
        shown?.delete(id);
      }
    }
    for (const id of delta.added) if (this.passes(id)) entering.add(id);
    if (entering.size > 0) {
      own();
      insertAllInOrder(ids, [...entering], this.orderOf);
    }
    this.ids = ids;
  }
}

/** Above this many changed rows in one delta, membership is tested through a Set. */
const MANY_UPDATES = 256;
