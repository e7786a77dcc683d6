// The filtered list, kept up to date a batch at a time: new rows are tested as they come,
// evicted ones dropped (nearly always a prefix: a slice), updated ones re-tested. Only a
// change of the filters themselves needs a pass over every row, and that pass runs in
// slices of a few milliseconds (step), so typing over 100,000 rows never blocks input;
// batches that arrive meanwhile are applied to the part already done and to the new rows.
import type { ExchangeSummary } from '../../../proxy-core/contract/index.js';
import { indexInOrder, type OrderOf, removeInPlace, updateInPlace } from './ordered-ids.js';

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
 * publication re-renders the list, and a pass over 100,000 rows takes dozens of slices.
 * The first slice publishes at once.
 */
export const PARTIAL_EVERY_MS = 200;

interface Pass {
  /** The ids it walks (its own copy: the lists it came from change in place) and how far it got. */
  all: readonly string[];
  at: number;
  found: string[];
  /** Rows that changed meanwhile: re-tested at the end. */
  updated: Set<string>;
  /** Rows that arrived meanwhile and match: merged in at the end. */
  tail: string[];
  /** The list shown meanwhile is the one from before, which holds every answer (a narrowing). */
  holding: boolean;
}

export class LiveFilter {
  /**
   * The matching ids, in list order. Changed in place, like the store's own list (copying
   * 100,000 ids per batch was most of what the page allocated): `version` counts the changes.
   */
  ids: string[] = [];
  version = 0;
  private test: Predicate | undefined;
  private job: Pass | undefined;
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
    const pass = (over: readonly string[], holding: boolean): Pass => ({ all: over, at: 0, found: [], updated: new Set(), tail: [], holding });
    if (!test) {
      // Nothing filtered: the store's own list is the answer, nothing to keep here.
      this.job = undefined;
      this.show([]);
    } else if (!narrowing) {
      this.job = pass(all.slice(), false);
      this.show(this.job.found);
    } else if (!before.test) {
      // Nothing was filtered: every row is a candidate, and the whole list stays shown.
      this.job = pass(all.slice(), true);
      this.show(all.slice());
    } else if (!before.job) {
      this.job = pass(this.ids.slice(), true);
    } else {
      // The old pass had not finished: its candidates are what it found and what it had
      // not reached yet; the rows it had put aside are tested now. If it was holding a
      // list on screen, that list still holds every answer, and stays: the next letter,
      // typed before a pass over 100,000 rows ends, must not swap the list for the few rows
      // found so far (the view lost its place, and under a flood stayed lost).
      const old = before.job;
      this.job = pass(old.found.concat(old.all.slice(old.at)), old.holding);
      this.job.updated = old.updated;
      this.job.tail = old.tail.filter((id) => this.passes(id));
      if (!old.holding) this.show(this.job.found);
    }
  }

  private show(ids: string[]): void {
    this.ids = ids;
    this.version++;
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
      // Not holding, the list shown is `found` itself: publishing is telling the page.
      const at = now();
      if (!job.holding && at - this.publishedAt >= PARTIAL_EVERY_MS) {
        this.version++;
        this.publishedAt = at;
      }
      return false;
    }
    this.job = undefined;
    // A narrowing that dropped nothing leaves the list as it is (found is a part of it).
    const unchanged = job.holding && job.tail.length === 0 && found.length === this.ids.length;
    if (!unchanged) {
      // Rows that arrived during the pass may have started before the last row it walked.
      updateInPlace(found, undefined, job.tail, this.orderOf);
      this.show(found);
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
      // when it ends (a removed id is simply not found by lookup any more). New matches
      // wait in the tail; what is shown meanwhile only loses what left the store.
      if (gone) {
        const shownGone = removeInPlace(job.found, gone) + (job.holding ? removeInPlace(this.ids, gone) : 0);
        removeInPlace(job.tail, gone);
        if (shownGone > 0) this.version++;
      }
      for (const id of delta.updated) job.updated.add(id);
      for (const id of delta.added) if (this.passes(id)) job.tail.push(id);
      return;
    }
    // Rows that match now and are not listed, and listed rows that no longer match.
    const entering = new Set<string>();
    const leaving: string[] = [];
    if (delta.updated.length > 0) {
      // Whether a changed row is listed: a batch's few rows are looked up by their place
      // (a binary search on start time); a Set of 100,000 listed ids for every batch was
      // most of the page's work while a filter was on. Many rows at once (the engine's
      // answer to a new text) go through one Set.
      const shown = delta.updated.length > MANY_UPDATES ? new Set(this.ids) : undefined;
      // A row new in this batch is tested once, below, even if it also changed within it.
      const added = new Set(delta.added);
      for (const id of delta.updated) {
        if (added.has(id) || entering.has(id) || gone?.has(id)) continue;
        const now = this.passes(id);
        if (now === (shown ? shown.has(id) : indexInOrder(this.ids, id, this.orderOf) >= 0)) continue;
        if (now) entering.add(id);
        else leaving.push(id);
        if (now) shown?.add(id);
        else shown?.delete(id);
      }
    }
    for (const id of delta.added) if (this.passes(id)) entering.add(id);
    let changed = updateInPlace(this.ids, gone, [...entering], this.orderOf);
    for (const id of leaving) {
      this.ids.splice(indexInOrder(this.ids, id, this.orderOf), 1);
      changed = true;
    }
    if (changed) this.version++;
  }
}

/** Above this many changed rows in one delta, membership is tested through a Set. */
const MANY_UPDATES = 256;
