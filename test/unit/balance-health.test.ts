// A target's health record: backoff after failed connections, what a check's verdict holds,
// and which calls change what the UI shows (those become route.health events).
import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_MS, HealthRecord } from '../../proxy-core/engine/upstream/health-record.js';
import { mayRetry } from '../../proxy-core/engine/upstream/retry.js';
import { statusMatches } from '../../proxy-core/engine/upstream/active-checks.js';

const T0 = 1_000_000;

describe('health record', () => {
  it('rests 1 s after a failed connection, doubling up to 30 s while failures go on', () => {
    const health = new HealthRecord();
    const rests: number[] = [];
    let now = T0;
    for (let i = 0; i < 8; i++) {
      health.connectionFailed('refused', now);
      rests.push(health.retryAt - now);
      expect(health.usable(now)).toBe(false);
      expect(health.usable(health.retryAt - 1)).toBe(false);
      now = health.retryAt; // the backoff is over: one request may try it
      expect(health.usable(now)).toBe(true);
    }
    expect(rests).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, BACKOFF_MAX_MS, BACKOFF_MAX_MS, BACKOFF_MAX_MS]);
    expect(health.up).toBe(false);
  });

  it('an answer brings it up and resets the backoff', () => {
    const health = new HealthRecord();
    health.connectionFailed('refused', T0);
    health.connectionFailed('refused', T0 + 1_000);
    expect(health.answered(T0 + 5_000)).toBe(true);
    expect(health).toMatchObject({ up: true, since: T0 + 5_000, lastError: 'refused', lastErrorAt: T0 + 1_000 });
    health.connectionFailed('refused', T0 + 6_000);
    expect(health.retryAt).toBe(T0 + 7_000);
  });

  // [steps, whether each step changed what the UI shows]
  it.each([
    ['down once, same error again', ['fail:refused', 'fail:refused'], [true, false]],
    ['down, then a new reason', ['fail:refused', 'fail:timeout'], [true, true]],
    ['answers while up change nothing', ['ok', 'ok'], [false, false]],
    ['down and up again', ['fail:refused', 'ok', 'ok'], [true, true, false]],
    ['a failed check holds it down against answers', ['check-fail:503', 'ok', 'check-ok'], [true, false, true]],
    ['a failed connection while a check holds it down keeps the check in charge', ['check-fail:503', 'fail:refused', 'ok'], [true, true, false]],
    ['checks passing while up change nothing', ['check-ok', 'check-ok'], [false, false]],
  ])('%s', (_label, steps, expected) => {
    const health = new HealthRecord();
    const changes = steps.map((step, i) => {
      const [kind, message = ''] = step.split(':');
      const now = T0 + i;
      if (kind === 'fail') return health.connectionFailed(message, now);
      if (kind === 'check-fail') return health.checkFailed(message, now);
      if (kind === 'check-ok') return health.checkPassed(now);
      return health.answered(now);
    });
    expect(changes).toEqual(expected);
  });

  it('a target held down by a check is never usable by backoff, until the check is removed', () => {
    const health = new HealthRecord();
    health.checkFailed('answered 503', T0);
    expect(health.usable(T0 + 3_600_000)).toBe(false);
    health.checkRemoved();
    expect(health.usable(T0)).toBe(true); // a request may try it now
    expect(health.answered(T0 + 1)).toBe(true);
  });
});

describe('retry rule', () => {
  // [error code, method, body started flowing in, may retry]
  it.each([
    ['ECONNREFUSED', 'GET', false, true],
    ['ECONNREFUSED', 'POST', false, true], // nothing reached the backend, and no body to lose
    ['ECONNREFUSED', 'POST', true, false], // the body went into the failed attempt: gone
    ['ECONNREFUSED', 'PUT', true, false],
    ['ECONNECT_TIMEOUT', 'PATCH', false, true],
    ['EHOSTUNREACH', 'DELETE', false, true],
    ['ECONNRESET', 'GET', false, true], // the backend may have seen it: idempotent only
    ['ECONNRESET', 'PUT', false, true],
    ['ECONNRESET', 'POST', false, false],
    ['ECONNRESET', 'PATCH', false, false],
    ['EPIPE', 'HEAD', false, true],
    ['ECONNRESET', 'GET', true, false],
    ['PORTICO_RESPONSE_TIMEOUT', 'GET', false, false], // a slow backend answered nothing yet: not ours to repeat
    ['HPE_INVALID_CONSTANT', 'GET', false, false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'GET', false, false],
    [undefined, 'GET', false, false],
  ])('%s on %s (body started: %s) → %s', (code, method, bodyStarted, expected) => {
    expect(mayRetry(code, method, bodyStarted)).toBe(expected);
  });
});

describe('expected check status', () => {
  it.each([
    [200, 200, true],
    [204, 200, false],
    [204, '2xx', true],
    [299, '2xx', true],
    [301, '2xx', false],
    [503, '5xx', true],
    [404, 404, true],
  ] as const)('%s against %s → %s', (status, expect_, expected) => {
    expect(statusMatches(status, expect_)).toBe(expected);
  });
});
