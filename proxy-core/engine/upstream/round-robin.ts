// Round-robin: each request goes to the next usable target after the last one picked.
import type { Balanced, Selector } from './selector.js';

export class RoundRobin implements Selector {
  private next = 0;

  pick<T extends Balanced>(candidates: readonly T[], usable: (candidate: T) => boolean): T | undefined {
    const n = candidates.length;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      const candidate = candidates[at]!;
      if (usable(candidate)) {
        this.next = (at + 1) % n;
        return candidate;
      }
    }
    return undefined;
  }
}
