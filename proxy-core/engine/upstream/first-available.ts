// First-available (failover): the first usable target in config order; the others only
// take traffic while the ones before them are down.
import type { Balanced, Selector } from './selector.js';

export class FirstAvailable implements Selector {
  pick<T extends Balanced>(candidates: readonly T[], usable: (candidate: T) => boolean): T | undefined {
    for (const candidate of candidates) if (usable(candidate)) return candidate;
    return undefined;
  }
}
