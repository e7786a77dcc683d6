// The balancing policies behind one tiny interface, as Caddy's `Selector`: given a route's
// targets and which of them may take a request now, pick one. Each policy is its own
// small file with table-driven tests (test/unit/balance-selectors.test.ts); whether a
// target is usable (health, backoff) is decided outside, so the policies stay pure.
import type { BalancePolicy } from '../../contract/index.js';
import { FirstAvailable } from './first-available.js';
import { LeastConnections } from './least-connections.js';
import { RoundRobin } from './round-robin.js';

/** What a policy may look at: requests in flight (counted on routes with several targets). */
export interface Balanced {
  readonly load: { active: number };
}

export interface Selector {
  /** One of `candidates` for which `usable` holds, or undefined when none does. */
  pick<T extends Balanced>(candidates: readonly T[], usable: (candidate: T) => boolean): T | undefined;
}

/** A new selector (with its own cursor) for one compiled route. */
export function createSelector(policy: BalancePolicy): Selector {
  switch (policy) {
    case 'round-robin':
      return new RoundRobin();
    case 'least-connections':
      return new LeastConnections();
    case 'first-available':
      return new FirstAvailable();
  }
}
