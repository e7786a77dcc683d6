// Least-connections: the usable target with the fewest requests in flight. Ties go round
// the list (the scan starts after the last pick), so a quiet route still uses every target
// instead of sending each lone request to the first.
import type { Balanced, Selector } from './selector.js';

export class LeastConnections implements Selector {
  private next = 0;

  pick<T extends Balanced>(candidates: readonly T[], usable: (candidate: T) => boolean): T | undefined {
    const n = candidates.length;
    let best = -1;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      const candidate = candidates[at]!;
      if (usable(candidate) && (best === -1 || candidate.load.active < candidates[best]!.load.active)) best = at;
    }
    if (best === -1) return undefined;
    this.next = (best + 1) % n;
    return candidates[best];
  }
}
