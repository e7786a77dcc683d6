// `portico passwd` driven as a script drives it: the built CLI, the password on stdin, a
// real config file. Only the hash lands in the file, everything else in it stays as written.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePasswordHash, verifyPassword } from '../../proxy-core/auth/password-hash.js';

const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));

function portico(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let dir: string;
let file: string;
const WRITTEN = {
  // A hand-written file: short, with a comment-free custom order the CLI must keep.
  http: { port: 8080 },
  routes: [
    { host: 'shop.localhost', target: 'http://127.0.0.1:3000' },
    { host: 'api.localhost', target: 'http://127.0.0.1:4000' },
    { host: 'api.localhost', pathPrefix: '/admin', target: 'http://127.0.0.1:4001' },
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portico-passwd-'));
  file = join(dir, 'config.json');
});
beforeEach(() => writeFile(file, JSON.stringify(WRITTEN, null, 2)));
afterAll(() => rm(dir, { recursive: true, force: true }));

type Written = typeof WRITTEN;
type Saved = Omit<Written, 'routes'> & { routes: (Written['routes'][number] & { auth?: { basic: { users: Record<string, string> } } })[] };
const readConfig = async () => JSON.parse(await readFile(file, 'utf8')) as Saved;

describe('portico passwd', () => {
  it('hashes the password from stdin into the route and changes nothing else', async () => {
    const run = await portico(['passwd', '--config', file, 'Shop.Localhost', 'ada'], 'correct horse\n');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Password for ada set on shop.localhost');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('correct horse');
    const config = await readConfig();
    const hash = config.routes[0]!.auth!.basic.users['ada']!;
    expect(await verifyPassword('correct horse', parsePasswordHash(hash)!)).toBe(true);
    expect({ ...config, routes: config.routes.map(({ auth: _auth, ...r }) => r) }).toEqual(WRITTEN);
  });

  it('adds a second user, picks a route by --path, and removes a user with --delete', async () => {
    expect((await portico(['passwd', '--config', file, '--path', '/admin', 'api.localhost', 'ada'], 'one\n')).code).toBe(0);
    expect((await portico(['passwd', '--config', file, '--path', '/admin', 'api.localhost', 'bob'], 'two\r\n')).code).toBe(0);
    let admin = (await readConfig()).routes[2]!.auth!.basic.users;
    expect(Object.keys(admin)).toEqual(['ada', 'bob']);
    expect(await verifyPassword('two', parsePasswordHash(admin['bob']!)!)).toBe(true);
    const removed = await portico(['passwd', '--config', file, '--path', '/admin', '--delete', 'api.localhost', 'ada'], '');
    expect(removed.code, removed.stderr).toBe(0);
    admin = (await readConfig()).routes[2]!.auth!.basic.users;
    expect(Object.keys(admin)).toEqual(['bob']);
    expect((await readConfig()).routes[1]!.auth).toBeUndefined();
  });

  it.each([
    [['nope.localhost', 'ada'], 'pw\n', 1, 'no route in .* has the host "nope.localhost" \\(its hosts: shop.localhost, api.localhost\\)'],
    [['api.localhost', 'ada'], 'pw\n', 1, '2 routes for "api.localhost" \\(path prefixes /, /admin\\): pick one with --path'],
    [['shop.localhost', 'ada'], '\n', 1, 'the password is empty'],
    [['shop.localhost', 'ada'], '', 1, 'the password is empty'],
    [['shop.localhost', 'a:b'], 'pw\n', 2, 'must not contain ":"'],
    [['shop.localhost'], 'pw\n', 2, 'needs a HOST and a USER'],
    [['--delete', 'shop.localhost', 'ada'], '', 1, 'has no user "ada"'],
  ])('%j with stdin %j → exit %i, %s', async (args, stdin, code, message) => {
    const run = await portico(['passwd', '--config', file, ...args], stdin);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(new RegExp(`^portico: .*${message}`));
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(WRITTEN, null, 2)); // untouched
  });

  it('reports a missing config file', async () => {
    const run = await portico(['passwd', '--config', join(dir, 'none.json'), 'shop.localhost', 'ada'], 'pw\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not exist: add a route for the host first');
  });
});

// A real terminal through util-linux `script`: the password is typed (with a Backspace)
// after each prompt shows, twice, and never echoed.
const hasScript = spawnSync('script', ['--version']).status === 0;
describe.skipIf(!hasScript)('portico passwd on a terminal', () => {
  it('asks twice without echo and saves the hash', async () => {
    const child = spawn('script', ['-qec', `"${process.execPath}" "${MAIN}" passwd --config "${file}" shop.localhost ada`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    let screen = '';
    const waitFor = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!screen.includes(text)) return;
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor('New password for ada on shop.localhost: ');
    child.stdin.write('sec\x7fcret\r');
    await waitFor('Type it again: ');
    child.stdin.write('secret\r');
    await waitFor('Password for ada set');
    child.stdin.end();
    expect(await closed).toBe(0);
    expect(screen).not.toContain('sec');
    const hash = (await readConfig()).routes[0]!.auth!.basic.users['ada']!;
    expect(await verifyPassword('secret', parsePasswordHash(hash)!)).toBe(true);
  });
});
