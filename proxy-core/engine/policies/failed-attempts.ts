// Failed credential guesses per client address: the LAN token and Basic auth passwords.
// Without a limit a LAN device could try thousands of tokens a second. After LIMIT
// failures inside a window, the address is refused (429 with Retry-After) until that
// window ends, whatever it sends; a right guess after the block is served normally.
import type { Refusal } from '../stage.js';

const LIMIT = 10;
const WINDOW_MS = 60_000;
/** Addresses remembered at most; the oldest window goes first (a flood of addresses cannot grow memory). */
const MAX_CLIENTS = 10_000;

interface Window {
  failures: number;
  endsAt: number;
}

export class FailedAttempts {
  private readonly clients = new Map<string, Window>();

  constructor(
    private readonly limit = LIMIT,
    private readonly windowMs = WINDOW_MS,
  ) {}

  /** The refusal for an address that used up its failures, or undefined. */
  refusal(address: string | undefined, now: number): Refusal | undefined {
    const window = this.clients.get(address ?? '');
    if (!window) return undefined;
    if (window.endsAt <= now) {
      this.clients.delete(address ?? '');
      return undefined;
    }
    if (window.failures < this.limit) return undefined;
    const seconds = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    return {
      status: 429,
      title: 'Too many failed attempts',
      message: `Too many wrong passwords or tokens from this address; try again in ${seconds} s.`,
      headers: { 'retry-after': seconds },
      mark: `auth: too many failed attempts (${window.failures} in ${this.windowMs / 1000} s)`,
    };
  }

  failed(address: string | undefined, now: number): void {
    const key = address ?? '';
    const window = this.clients.get(key);
    if (window && window.endsAt > now) {
      window.failures += 1;
      return;
    }
    if (window) this.clients.delete(key);
    if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
    this.clients.set(key, { failures: 1, endsAt: now + this.windowMs });
  }
}

/** Refusals that mean a credential was presented and was wrong (a missing one is no guess). */
export const isFailedGuess = (refusal: Refusal | undefined): boolean =>
  refusal !== undefined &&
  (refusal.mark === 'lan: wrong token' ||
    refusal.mark === 'auth: wrong password' ||
    refusal.mark === 'auth: unknown user' ||
    refusal.mark === 'auth: malformed credentials');
