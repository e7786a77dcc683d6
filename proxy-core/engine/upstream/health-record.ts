// One backend's health, shared by every route that sends traffic there and kept in the
// UpstreamPool, so a config swap keeps it. Fed by real traffic (passive) and by the
// optional active check; the selectors read `usable`, the UI reads the rest.

/** What a change looks like to the control service (the `route.health` event). */
export type HealthListener = (change: { route: string; target: string; up: boolean; lastError?: string }) => void;

/** After a failed connection a target rests 1 s, then 2 s, 4 s… up to 30 s while failures go on. */
export const BACKOFF_FIRST_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

export class HealthRecord {
  up = true;
  /** When `up` last changed (ms since the epoch); undefined while it never has. */
  since: number | undefined;
  lastError: string | undefined;
  lastErrorAt: number | undefined;
  /** Until when a target downed by a failed connection is left alone; then one request may try it. */
  retryAt = 0;
  private failures = 0;
  /**
   * Who said down. A failed connection is a guess about now, so a real request may try
   * again after the backoff and bring it back. A failed check says the backend itself
   * reports trouble: only a passing check brings it back.
   */
  private downBy: 'connection' | 'check' | undefined;

  /** May a request go there now: it is up, or its backoff is over (the request is the probe). */
  usable(now: number): boolean {
    return this.up || (this.downBy === 'connection' && now >= this.retryAt);
  }

  /**
   * A connection to the target failed (refused, timed out, unreachable).
   * Returns true when what the UI shows changed: it went down, or is down for a new reason.
   */
  connectionFailed(message: string, now: number): boolean {
    const delay = Math.min(BACKOFF_FIRST_MS * 2 ** this.failures, BACKOFF_MAX_MS);
    this.failures += 1;
    this.retryAt = now + delay;
    if (this.downBy === 'check') return this.noteError(message, now);
    this.downBy = 'connection';
    return this.down(message, now);
  }

  /** The target answered a request; a check's verdict stands until the next check. */
  answered(now: number): boolean {
    if (this.downBy === 'check') return false;
    return this.upAgain(now);
  }

  checkFailed(message: string, now: number): boolean {
    this.downBy = 'check';
    return this.down(message, now);
  }

  checkPassed(now: number): boolean {
    return this.upAgain(now);
  }

  /** The check was taken out of the config: its verdict no longer holds the target down. */
  checkRemoved(): void {
    if (this.downBy !== 'check') return;
    this.downBy = 'connection';
    this.retryAt = 0;
  }

  private down(message: string, now: number): boolean {
    if (!this.up) return this.noteError(message, now);
    this.up = false;
    this.since = now;
    this.noteError(message, now);
    return true;
  }

  private noteError(message: string, now: number): boolean {
    const changed = this.lastError !== message;
    this.lastError = message;
    this.lastErrorAt = now;
    return changed;
  }

  private upAgain(now: number): boolean {
    this.failures = 0;
    this.retryAt = 0;
    this.downBy = undefined;
    if (this.up) return false;
    this.up = true;
    this.since = now;
    return true;
  }
}
