// Basic credentials parsing, password hashes, the verdict cache and the route-user edits.
import { describe, expect, it } from 'vitest';
import { basicChallenge, parseBasicAuthorization } from '../../proxy-core/auth/basic-credentials.js';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../proxy-core/auth/password-hash.js';
import { withoutUser, withUser } from '../../proxy-core/auth/route-users.js';
import { ConfigError, parseConfig } from '../../proxy-core/config/index.js';
import { PasswordHashSchema } from '../../proxy-core/contract/index.js';
import { BasicAuthChecker } from '../../proxy-core/engine/policies/basic-auth.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('Basic Authorization header', () => {
  it.each([
    [`Basic ${b64('ada:secret')}`, { user: 'ada', password: 'secret' }],
    [`basic   ${b64('ada:se:cret')}  `, { user: 'ada', password: 'se:cret' }], // split at the first colon
    [`BASIC ${b64('zoë:pä')}`, { user: 'zoë', password: 'pä' }],
    [`Basic ${b64('ada:')}`, { user: 'ada', password: '' }],
    [`Basic ${b64('ada')}`, undefined],
    ['Bearer abc', undefined],
    ['Basic', undefined],
    ['Basic !!!', undefined],
    [undefined, undefined],
  ])('%s → %o', (header, expected) => expect(parseBasicAuthorization(header)).toEqual(expected));

  it('challenges with the realm and UTF-8', () => expect(basicChallenge('Staging')).toBe('Basic realm="Staging", charset="UTF-8"'));
});

describe('password hashes', () => {
  it('hashes into the self-describing form the config accepts, salted, and verifies', async () => {
    const [a, b] = [await hashPassword('s3cret'), await hashPassword('s3cret')];
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(PasswordHashSchema.safeParse(a).success).toBe(true);
    const parsed = parsePasswordHash(a)!;
    expect(await verifyPassword('s3cret', parsed)).toBe(true);
    expect(await verifyPassword('s3cret ', parsed)).toBe(false);
    // The same text in either Unicode normal form is the same password.
    expect(await verifyPassword('e\u0301', parsePasswordHash(await hashPassword('\u00e9'))!)).toBe(true);
  });

  it.each(['hunter2', 'scrypt$1$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '$2b$10$abcdefghijklmnopqrstuv'])(
    'the schema refuses "%s"',
    (value) => expect(PasswordHashSchema.safeParse(value).success).toBe(false),
  );
});

describe('verdicts', () => {
  it('names why: checked on the thread pool the first time, at once from memory the second', async () => {
    const checker = new BasicAuthChecker({ ada: await hashPassword('right') });
    expect(checker.check(undefined)).toBe('auth: missing credentials');
    const cases = [
      [`Basic ${b64('ada:right')}`, 'ok'],
      [`Basic ${b64('ada:wrong')}`, 'auth: wrong password'],
      [`Basic ${b64('bob:right')}`, 'auth: unknown user'],
      ['Digest x', 'auth: malformed credentials'],
    ] as const;
    for (const [header, verdict] of cases) {
      const first = checker.check(header);
      expect(first).toBeInstanceOf(Promise);
      expect(await first).toBe(verdict);
      expect(checker.check(header)).toBe(verdict);
    }
  });

  it('gives requests that bring the same new header one check between them', async () => {
    const checker = new BasicAuthChecker({ ada: await hashPassword('right') });
    const header = `Basic ${b64('ada:right')}`;
    const first = checker.check(header);
    expect(checker.check(header)).toBe(first);
    expect(await first).toBe('ok');
  });
});

describe('route users', () => {
  const route = { host: 'a.localhost', target: 'http://127.0.0.1:1', auth: { basic: { realm: 'R', users: { ada: 'h1' } } } };
  it('adds and replaces a user, keeping the rest of the route', () => {
    expect(withUser(route, 'bob', 'h2').auth.basic).toEqual({ realm: 'R', users: { ada: 'h1', bob: 'h2' } });
    expect(withUser({ host: 'b.localhost' }, 'ada', 'h').auth).toEqual({ basic: { users: { ada: 'h' } } });
    expect(route.auth.basic.users).toEqual({ ada: 'h1' }); // not mutated
  });
  it('removes a user, or says there was none', () => {
    expect(withoutUser(route, 'ada')!.auth!.basic!.users).toEqual({});
    expect(withoutUser(route, 'bob')).toBeUndefined();
    expect(withoutUser({ host: 'b.localhost' }, 'ada')).toBeUndefined();
  });
});

describe('config messages', () => {
  const problems = (config: unknown): string[] => {
    try {
      parseConfig(config, 'config.json');
    } catch (error) {
      return (error as ConfigError).issues;
    }
    throw new Error('accepted');
  };
  const route = (fields: Record<string, unknown>) => ({ routes: [{ host: 'a.localhost', target: 'http://127.0.0.1:1', ...fields }] });

  it.each([
    [route({ auth: { basic: { users: { ada: 'hunter2' } } } }), 'routes[0].auth.basic.users.ada', 'portico passwd HOST USER'],
    [route({ auth: { basic: { users: { 'a:b': 'x' } } } }), 'routes[0].auth.basic.users', 'must not contain ":"'],
    [route({ firewall: { allow: ['10.0.0.0/33'] } }), 'routes[0].firewall.allow[0]', 'CIDR range'],
    [route({ firewall: { allow: [] } }), 'routes[0].firewall.allow', 'leave "allow" out'],
    [route({ firewall: { deny: ['admin'] } }), 'routes[0].firewall.deny[0]', 'starting with "/"'],
    [route({ firewall: { deny: [{ regex: '(' }] } }), 'routes[0].firewall.deny[0]', 'regular expression'],
    [{ firewall: { headersTimeoutMs: 10_000, requestTimeoutMs: 5_000 } }, 'firewall.headersTimeoutMs', 'not be more than requestTimeoutMs'],
  ])('%o → %s: …%s…', (config, field, words) => {
    const lines = problems(config);
    expect(
      lines.some((l) => l.startsWith(field) && l.includes(words)),
      lines.join('\n'),
    ).toBe(true);
  });
});
