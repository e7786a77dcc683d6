// `portico serve` as a real process against real backends on 127.0.0.1: routing, unknown
// hosts and dead backends, config + --route together, and a graceful stop on SIGTERM / SIGINT.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startBackend, type Backend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { closeWs, openWs, roundTrip, startWsEcho } from '../helpers/wsEcho.js';
import { SERVE_V8_FLAGS } from '../../proxy-core/cli/v8-flags.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'out/proxy-core/cli/main.js');

interface Portico {
  child: ChildProcessWithoutNullStreams;
  /** The HTTP port it printed. */
  port: number;
  /** The HTTPS port it printed (NaN when HTTPS did not start). */
  httpsPort: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stdout contains `text`. */
  printed(text: string): Promise<void>;
}

const closeEach = closeAfter('each');
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portico-cli-serve-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts `portico serve …` and waits for its banner; killed after the test if still running. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Portico> {
  // HTTPS on a free port unless the test says otherwise: never the default 443.
  // '--https-port-from-config' is this helper's marker: leave the port to the config.
  const fromConfig = args.includes('--https-port-from-config');
  args = args.filter((a) => a !== '--https-port-from-config');
  const httpsArgs = args.includes('--https-port') || fromConfig ? [] : ['--https-port', '0'];
  const child = spawn(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, ...httpsArgs, ...args], {
    env: { ...process.env, PORTICO_DATA_DIR: dataDir, ...env },
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const check of waiters) check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  closeEach(child, (c) => {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    return exited;
  });
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!stdout.includes(text)) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
      void exited.then(({ code }) => reject(new Error(`portico exited (${code}) before printing "${text}"\n${stdout}${stderr}`)));
    });

  await printed('Press Ctrl+C to stop.');
  const port = Number(/^HTTP +http:\/\/127\.0\.0\.1:(\d+)$/m.exec(stdout)?.[1]);
  expect(port, stdout).toBeGreaterThan(0);
  const httpsPort = Number(/^HTTPS +https:\/\/127\.0\.0\.1:(\d+) /m.exec(stdout)?.[1]);
  return { child, port, httpsPort, stdout: () => stdout, stderr: () => stderr, exited, printed };
}

async function backend(name: string, handler?: Parameters<typeof startBackend>[1]): Promise<Backend> {
  return closeEach(await startBackend(name, handler));
}

describe('portico serve proxies, refuses and fails as it should', () => {
  it('proxies a --route host to its backend, 404s unknown hosts, 502s a dead backend', async () => {
    const app = await backend('hello from app');
    const deadPort = await freePort();
    const portico = await serve(['--http-port', '0', '--route', `app.localhost=${app.url}`, '--route', `dead.localhost=http://127.0.0.1:${deadPort}`]);

    // The banner: the listener, then each route as a URL to open → its target.
    expect(portico.stdout()).toMatch(new RegExp(`^HTTP +http://127\\.0\\.0\\.1:${portico.port}$`, 'm'));
    expect(portico.stdout()).toMatch(new RegExp(`^HTTPS +https://127\\.0\\.0\\.1:${portico.httpsPort} `, 'm'));
    expect(portico.stdout()).toMatch(new RegExp(`^ +https://app\\.localhost:${portico.httpsPort}/ +→ +${app.url} `, 'm'));
    expect(portico.stdout()).toContain(`https://dead.localhost:${portico.httpsPort}/`);

    const ok = await request(portico.port, { host: 'app.localhost' });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('hello from app');
    expect(app.requests[0]?.headers['x-forwarded-for']).toBe('127.0.0.1');

    const unknown = await request(portico.port, { host: 'nope.localhost' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('app.localhost');
    expect(unknown.body).toContain('dead.localhost');

    const dead = await request(portico.port, { host: 'dead.localhost' });
    expect(dead.status).toBe(502);
    expect(dead.body).toContain(`127.0.0.1:${deadPort}`);

    expect(portico.stderr()).toBe('');
  });

  // execve and /proc are Linux here; where there is no execve (Windows) serve keeps V8's defaults.
  const cmdline = async (pid: number | undefined) => (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  it.runIf(process.platform === 'linux')('restarts itself in place (same pid) with the V8 flags of v8-flags.ts', async () => {
    const portico = await serve(['--http-port', '0'], { NODE_OPTIONS: '' });
    const args = await cmdline(portico.child.pid);
    expect(args.slice(1, 1 + SERVE_V8_FLAGS.length)).toEqual(SERVE_V8_FLAGS);
    expect(args).toContain(MAIN);
    expect((await request(portico.port, { host: 'nope.localhost' })).status).toBe(404);
  });

  it.runIf(process.platform === 'linux')('keeps a young-generation size the user chose in NODE_OPTIONS', async () => {
    const portico = await serve(['--http-port', '0'], { NODE_OPTIONS: '--max-semi-space-size=8' });
    const args = await cmdline(portico.child.pid);
    expect(args.some((arg) => arg.startsWith('--max-semi-space-size'))).toBe(false);
    expect((await request(portico.port, { host: 'nope.localhost' })).status).toBe(404);
  });

  it('proxies a WebSocket echo', async () => {
    const echo = closeEach(await startWsEcho());
    const portico = await serve(['--http-port', '0', '--route', `ws.localhost=${echo.url}`]);
    const ws = closeEach(await openWs(portico.port, 'ws.localhost', '/hmr'), closeWs);
    const reply = await roundTrip(ws, 'ping through portico');
    expect(reply.data.toString()).toBe('ping through portico');
    expect(echo.upgrades[0]?.url).toBe('/hmr');
  });
});

describe('config file and --route together', () => {
  it('serves the file routes plus the flag routes, a flag route wins for the same host, and the file is left alone', async () => {
    const fromFile = await backend('from file');
    const shadowed = await backend('shadowed');
    const fromFlag = await backend('from flag');
    const file = join(dataDir, 'config.json');
    const text = `${JSON.stringify({
      http: { port: 1 }, // overridden by --http-port
      routes: [
        { host: 'file.localhost', target: fromFile.url },
        { host: 'both.localhost', target: shadowed.url },
      ],
    })}\n`;
    await writeFile(file, text);
    try {
      const portico = await serve(['--http-port', '0', '--route', `both.localhost=${fromFlag.url}`, '--route', `flag.localhost=${fromFlag.url}`]);
      expect(portico.stdout()).toContain(`Config  ${file}\n`);
      expect(portico.stdout()).toMatch(/flag\.localhost.*\(this run only\)/);

      expect((await request(portico.port, { host: 'file.localhost' })).body).toBe('from file');
      expect((await request(portico.port, { host: 'flag.localhost' })).body).toBe('from flag');
      expect((await request(portico.port, { host: 'both.localhost' })).body).toBe('from flag');
      expect(shadowed.requests).toHaveLength(0);

      portico.child.kill('SIGTERM');
      expect((await portico.exited).code).toBe(0);
      expect(await readFile(file, 'utf8')).toBe(text);
    } finally {
      await rm(file, { force: true });
    }
  });

  it('applies edits to the config file live, keeps an open WebSocket, and refuses an invalid edit', async () => {
    const echo = closeEach(await startWsEcho());
    const later = await backend('added later');
    const dir = await mkdtemp(join(tmpdir(), 'portico-live-'));
    const file = join(dir, 'config.json');
    const write = (routes: unknown[]) => writeFile(file, `${JSON.stringify({ routes })}\n`);
    try {
      await write([{ host: 'hmr.localhost', target: echo.url }]);
      const portico = await serve(['--config', file, '--http-port', '0']);
      const ws = closeEach(await openWs(portico.port, 'hmr.localhost'), closeWs);
      expect((await request(portico.port, { host: 'later.localhost' })).status).toBe(404);

      await write([
        { host: 'hmr.localhost', target: echo.url, changeOrigin: true },
        { host: 'later.localhost', target: later.url },
      ]);
      await portico.printed('config applied');
      expect((await request(portico.port, { host: 'later.localhost' })).body).toBe('added later');
      expect((await roundTrip(ws, 'still here')).data.toString()).toBe('still here');

      // A broken edit is reported and the running config stays in force.
      await writeFile(file, JSON.stringify({ routes: [{ host: 'later.localhost', target: 'ftp://nope' }] }));
      await portico.printed('NOT applied');
      expect(portico.stdout()).toContain('routes[0].target');
      expect((await request(portico.port, { host: 'later.localhost' })).body).toBe('added later');
      expect(echo.upgrades).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with no config file: says the defaults are in use and how to add a route', async () => {
    const portico = await serve(['--http-port', '0']);
    expect(portico.stdout()).toContain('(not found: using defaults)');
    expect(portico.stdout()).toContain('No routes yet');
  });

  it('--control-port starts the control server: the banner shows the UI address and the token file', async () => {
    const portico = await serve(['--http-port', '0', '--https-port', '0', '--control-port', '0']);
    expect(portico.stdout()).toMatch(/^UI +http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/m);
    expect(portico.stdout()).toContain(`Token   ${join(dataDir, 'control-token')}`);
    expect(portico.httpsPort).toBeGreaterThan(0);
  });

  it('config ports that are taken: fall back to other ports and say why', async () => {
    const blocker = closeEach(await startBackend('blocker'));
    const dir = await mkdtemp(join(tmpdir(), 'portico-https-busy-'));
    const file = join(dir, 'config.json');
    // Both config ports taken: each falls back on its own, and each says why.
    await writeFile(file, JSON.stringify({ http: { port: blocker.port }, https: { port: blocker.port } }));
    try {
      const portico = await serve(['--config', file, '--https-port-from-config']);
      expect(portico.stdout()).toMatch(new RegExp(`^Note    HTTP port ${blocker.port} is in use by another program; using (\\d+|a free port) instead$`, 'm'));
      expect(portico.stdout()).toMatch(new RegExp(`^Note    HTTPS port ${blocker.port} is in use by another program; using (\\d+|a free port) instead$`, 'm'));
      expect(portico.httpsPort).toBeGreaterThan(0);
      expect(portico.httpsPort).not.toBe(blocker.port);
      expect((await request(portico.port, { host: 'nope.localhost' })).status).toBe(404);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('stopping', () => {
  it('SIGTERM: refuses new connections, lets the in-flight request finish, exits 0', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const slow = await backend('slow', (req, res) => {
      arrived();
      req.resume();
      setTimeout(() => res.end('finally done'), 1_000);
    });
    const portico = await serve(['--http-port', '0', '--route', `slow.localhost=${slow.url}`]);

    // Settled either way, so a failure below cannot leave an unhandled rejection behind.
    const inFlight = request(portico.port, { host: 'slow.localhost' }).catch((error: unknown) => error);
    await requestArrived;
    portico.child.kill('SIGTERM');
    await portico.printed('stopping');

    await expect(request(portico.port, { host: 'slow.localhost' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await inFlight).toMatchObject({ status: 200, body: 'finally done' });
    expect(await portico.exited).toEqual({ code: 0, signal: null });
    expect(portico.stdout()).toContain('Stopped.');
  });

  it('an open WebSocket does not hold the stop up for the grace period', async () => {
    const echo = closeEach(await startWsEcho());
    const portico = await serve(['--http-port', '0', '--route', `ws.localhost=${echo.url}`]);
    const ws = closeEach(await openWs(portico.port, 'ws.localhost'), closeWs);
    const wsClosed = new Promise((resolve) => ws.once('close', resolve));
    const started = Date.now();
    portico.child.kill('SIGTERM');
    expect(await portico.exited).toEqual({ code: 0, signal: null });
    await wsClosed;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('SIGINT with nothing in flight exits 0 promptly', async () => {
    const portico = await serve(['--http-port', '0']);
    const started = Date.now();
    portico.child.kill('SIGINT');
    expect(await portico.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a second Ctrl+C quits at once instead of waiting out the grace period', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const stuck = await backend('stuck', (req) => {
      arrived();
      req.resume(); // never answers
    });
    const portico = await serve(['--http-port', '0', '--route', `stuck.localhost=${stuck.url}`]);
    const inFlight = request(portico.port, { host: 'stuck.localhost' }).catch((error: unknown) => error);
    await requestArrived;

    portico.child.kill('SIGINT');
    await portico.printed('stopping');
    const second = Date.now();
    portico.child.kill('SIGINT');
    expect(await portico.exited).toEqual({ code: 130, signal: null });
    expect(Date.now() - second).toBeLessThan(2_000);
    await inFlight;
  });
});
