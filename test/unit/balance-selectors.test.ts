// The balancing policies as pure functions: candidates with health and load in, a sequence of picks out.
import { describe, expect, it } from 'vitest';
import { BALANCE_POLICIES, type BalancePolicy } from '../../proxy-core/contract/index.js';
import { createSelector } from '../../proxy-core/engine/upstream/selector.js';

interface Fake {
  name: string;
  up: boolean;
  load: { active: number };
}

/** "a b- c:3" → a up, b down, c up with 3 requests in flight. */
function candidates(spec: string): Fake[] {
  return spec.split(' ').map((part) => {
    const [, name, down, active] = /^(\w+)(-?)(?::(\d+))?$/.exec(part)!;
    return { name: name!, up: down !== '-', load: { active: Number(active ?? 0) } };
  });
}

function picks(policy: BalancePolicy, spec: string, times: number): string {
  const selector = createSelector(policy);
  const list = candidates(spec);
  return Array.from({ length: times }, () => selector.pick(list, (c) => c.up)?.name ?? '∅').join(' ');
}

describe('selectors', () => {
  // [policy, candidates, picks in a row]
  const TABLE: [BalancePolicy, string, string][] = [
    ['round-robin', 'a b c', 'a b c a b c'],
    ['round-robin', 'a b- c', 'a c a c a c'],
    ['round-robin', 'a- b c-', 'b b b b b b'],
    ['round-robin', 'a- b-', '∅ ∅ ∅ ∅ ∅ ∅'],
    ['round-robin', 'a', 'a a a a a a'],
    ['least-connections', 'a:2 b:0 c:1', 'b b b b b b'], // loads do not change between picks here
    ['least-connections', 'a:1 b:1 c:1', 'a b c a b c'], // ties go round the list
    ['least-connections', 'a:0 b- c:5', 'a a a a a a'], // a down target is skipped even if idle
    ['least-connections', 'a:3 b-:0 c:3', 'a c a c a c'],
    ['least-connections', 'a- b-', '∅ ∅ ∅ ∅ ∅ ∅'],
    ['first-available', 'a b c', 'a a a a a a'],
    ['first-available', 'a- b c', 'b b b b b b'],
    ['first-available', 'a:9 b:0', 'a a a a a a'], // load does not matter, order does
    ['first-available', 'a- b- c-', '∅ ∅ ∅ ∅ ∅ ∅'],
  ];

  it.each(TABLE)('%s over [%s] → %s', (policy, spec, expected) => {
    expect(picks(policy, spec, 6)).toBe(expected);
  });

  it('round-robin resumes after the target it picked last when a target comes back', () => {
    const selector = createSelector('round-robin');
    const list = candidates('a b c');
    const b = list[1]!;
    b.up = false;
    const seen = [selector.pick(list, (c) => c.up), selector.pick(list, (c) => c.up)].map((c) => c?.name);
    b.up = true;
    seen.push(...[1, 2, 3].map(() => selector.pick(list, (c) => c.up)?.name));
    expect(seen).toEqual(['a', 'c', 'a', 'b', 'c']);
  });

  it('least-connections follows the counts as they change', () => {
    const selector = createSelector('least-connections');
    const list = candidates('a b');
    const seen: string[] = [];
    // Each pick holds its request: the next goes to the other target, then back.
    for (let i = 0; i < 4; i++) {
      const picked = selector.pick(list, () => true)!;
      picked.load.active += 1;
      seen.push(picked.name);
    }
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
    list[0]!.load.active = 0; // a's requests finished, b still holds two
    expect(selector.pick(list, () => true)?.name).toBe('a');
    expect(selector.pick(list, () => true)?.name).toBe('a');
  });

  it('every policy in the contract has a selector', () => {
    for (const policy of BALANCE_POLICIES) expect(picks(policy, 'a- b', 1)).toBe('b');
  });
});
