// HTTP Basic access auth. A browser sends the same Authorization header on every request,
// so each distinct header is checked with scrypt once and its verdict remembered (keyed by
// a SHA-256 of the header, so no credential sits in the map) in a small bounded map.
// The first check runs on the thread pool: that request waits for it (the policy returns a
// promise), the rest of the proxy does not. Requests that bring the same new header while
// it is checked wait for the same check. An unknown user costs the same scrypt work as a
// wrong password.
import { createHash } from 'node:crypto';
import { basicChallenge, parseBasicAuthorization } from '../../auth/basic-credentials.js';
import { decoyHash, parsePasswordHash, verifyPassword, type ParsedHash } from '../../auth/password-hash.js';
import type { Refusal, StageFactory } from '../stage.js';

const MAX_VERDICTS = 256;

type Verdict = 'ok' | 'auth: wrong password' | 'auth: unknown user' | 'auth: malformed credentials';

export class BasicAuthChecker {
  private readonly users = new Map<string, ParsedHash>();
  private readonly verdicts = new Map<string, Verdict>();
  private readonly checking = new Map<string, Promise<Verdict>>();

  constructor(users: Record<string, string>) {
    for (const [user, text] of Object.entries(users)) this.users.set(user, parsePasswordHash(text)!); // the schema checked each one
  }

  /** The verdict at once when this header was seen before; otherwise a promise of it. */
  check(header: string | undefined): Verdict | 'auth: missing credentials' | Promise<Verdict> {
    if (header === undefined) return 'auth: missing credentials';
    const key = createHash('sha256').update(header).digest('base64');
    const known = this.verdicts.get(key) ?? this.checking.get(key);
    if (known) return known;
    const checked = this.verify(header)
      .then((verdict) => {
        if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.delete(this.verdicts.keys().next().value!);
        this.verdicts.set(key, verdict);
        return verdict;
      })
      .finally(() => this.checking.delete(key)); // a failed check is tried again next time
    this.checking.set(key, checked);
    return checked;
  }

  private async verify(header: string): Promise<Verdict> {
    const credentials = parseBasicAuthorization(header);
    if (!credentials) return 'auth: malformed credentials';
    const hash = this.users.get(credentials.user);
    if (!hash) {
      await verifyPassword(credentials.password, decoyHash());
      return 'auth: unknown user';
    }
    return (await verifyPassword(credentials.password, hash)) ? 'ok' : 'auth: wrong password';
  }
}

export const basicAuthPolicy: StageFactory = (route) => {
  const basic = route.auth?.basic;
  if (!basic) return undefined;
  const checker = new BasicAuthChecker(basic.users);
  const challenge = basicChallenge(basic.realm ?? route.host);
  const refuse = (mark: string): Refusal => ({
    status: 401,
    title: 'Authentication required',
    message: `${route.host} asks for a user name and password.`,
    headers: { 'www-authenticate': challenge },
    mark,
  });
  return {
    name: 'auth: basic',
    describe: () => `Basic auth, ${Object.keys(basic.users).length} user(s)`,
    request(ex) {
      const req = ex.req;
      const pass = (verdict: Verdict | 'auth: missing credentials'): Refusal | undefined => {
        if (verdict !== 'ok') return refuse(verdict);
        if (!basic.forwardAuthorization) delete req.headers.authorization;
        return undefined;
      };
      const verdict = checker.check(req.headers.authorization);
      return typeof verdict === 'string' ? pass(verdict) : verdict.then(pass);
    },
  };
};
