// `portico run` with real processes: a Node server on PORT reached by name over HTTP and
// HTTPS, its route living exactly as long as the process, names refused while taken, the
// background serve started and stopped, the command's exit code passed on.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { httpsRequest } from '../helpers/tls.js';
import { ECHO_ENV_SERVER, killPid, portico, runDataDir, startRun, type PorticoRun } from '../helpers/portico-run.js';

const closeEach = closeAfter('each');
let dataDir: string;
let appDir: string;
let ca: string;

beforeAll(async () => {
  dataDir = await runDataDir();
  appDir = join(dataDir, 'projects', 'echo-app');
  await mkdir(appDir, { recursive: true });
  await writeFile(join(appDir, 'server.cjs'), ECHO_ENV_SERVER);
  await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: '@acme/Echo_App', scripts: { dev: 'node server.cjs' } }));
});
afterAll(async () => {
  portico(['stop', '--data-dir', dataDir]);
  await rm(dataDir, { recursive: true, force: true });
});

/** `portico run` in the app folder; its server (and it) are killed after the test. */
async function runEcho(args: string[] = []): Promise<{ run: PorticoRun; https: URL; http: URL; serverPid: number }> {
  const run = startRun(args, { cwd: appDir, dataDir });
  closeEach(run, (r) => killPid(r.child.pid));
  const { https, http } = await run.urls;
  await run.printed('listening on');
  ca ??= await readFile(join(dataDir, 'ca', 'root.pem'), 'utf8');
  const body = JSON.parse((await request(Number(http.port), { host: http.host })).body) as { pid: number };
  closeEach(body.pid, killPid);
  return { run, https, http, serverPid: body.pid };
}

/** What the proxy answers for the host now: the backend's JSON, or Portico's 404 for an unknown host. */
const statusFor = async (url: URL) => (await request(Number(url.port), { host: url.host, headers: { accept: 'application/json' } })).status;

describe('portico run', () => {
  it('starts portico serve in the background when none runs, and says so', async () => {
    const { run } = await runEcho();
    expect(run.stderr()).toContain("starting 'portico serve' in the background");
    const address = JSON.parse(await readFile(join(dataDir, 'control.json'), 'utf8')) as { pid: number; kind: string };
    expect(address.kind).toBe('serve');
    expect(existsSync(join(dataDir, 'serve.log'))).toBe(true);
  });

  it('serves the bare dev script by the package name over HTTP and HTTPS, with PORTICO_URL and a readable NODE_EXTRA_CA_CERTS', async () => {
    const { https, http } = await runEcho();
    expect(https.hostname).toBe('echo-app.localhost');
    const plain = JSON.parse((await request(Number(http.port), { host: http.host })).body) as Record<string, unknown>;
    expect(plain).toMatchObject({ host: '127.0.0.1', porticoUrl: https.origin, caReadable: true });
    const secure = await httpsRequest(Number(https.port), { host: https.hostname, ca });
    expect(secure.status).toBe(200);
    expect(JSON.parse(secure.body)).toMatchObject({ porticoUrl: https.origin });
  });

  it('on SIGINT stops the server, removes the route and exits with the code the server died with', async () => {
    const { run, http, serverPid } = await runEcho(['--name', 'sigint']);
    expect(await statusFor(http)).toBe(200);
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit.code).toBe(130); // node died of the forwarded SIGINT
    expect(() => process.kill(serverPid, 0)).toThrow();
    expect(await statusFor(http)).toBe(404);
  });

  it('after SIGKILL of portico run, the running Portico notices and removes the route', async () => {
    const { run, http } = await runEcho(['--name', 'sigkill']);
    expect(await statusFor(http)).toBe(200);
    run.child.kill('SIGKILL');
    await run.exited;
    await expect.poll(() => statusFor(http), { timeout: 10_000, interval: 100 }).toBe(404);
  });

  it('refuses a name another live process holds, naming it; --force takes it over', async () => {
    const first = await runEcho(['--name', 'taken']);
    const second = startRun(['--name', 'taken', '--', 'node', 'server.cjs'], { cwd: appDir, dataDir });
    closeEach(second, (r) => killPid(r.child.pid));
    const refused = await second.exited;
    expect(refused.code).toBe(1);
    // The pid is the command's: here npm, the server's parent.
    expect(second.stderr()).toMatch(/taken\.localhost is taken by process \d+ \(npm run dev\) in .*echo-app/);
    expect(await statusFor(first.http)).toBe(200);

    const forced = await runEcho(['--name', 'taken', '--force']);
    const answer = JSON.parse((await request(Number(forced.http.port), { host: forced.http.host })).body) as { pid: number };
    expect(answer.pid).toBe(forced.serverPid);
  });

  it('exits with the command’s exit code, and a missing command is 127', async () => {
    const failing = startRun(['--name', 'exit-code', '--', 'node', '-e', 'process.exit(7)'], { cwd: appDir, dataDir });
    expect((await failing.exited).code).toBe(7);
    const missing = startRun(['--name', 'missing', '--', 'no-such-command-portico'], { cwd: appDir, dataDir });
    expect((await missing.exited).code).toBe(127);
    expect(missing.stderr()).toContain('command not found: no-such-command-portico');
  });

  it('status lists the process route with its pid and command', async () => {
    await runEcho(['--name', 'listed']);
    const status = portico(['status', '--data-dir', dataDir]);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/listed\.localhost {2}→ {2}http:\/\/127\.0\.0\.1:\d+ {2}\[process \d+: npm run dev, since/);
  });

  it('in a linked git worktree on a branch, the branch goes in front of the name', async () => {
    const repo = join(dataDir, 'projects', 'repo');
    await mkdir(repo, { recursive: true });
    await writeFile(join(repo, 'server.cjs'), ECHO_ENV_SERVER);
    await writeFile(join(repo, 'package.json'), JSON.stringify({ name: 'shop', scripts: { dev: 'node server.cjs' } }));
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd, stdio: 'ignore' });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'init');
    const worktree = join(dataDir, 'projects', 'shop-login');
    git(repo, 'worktree', 'add', '-q', '-b', 'Feature/Login', worktree);

    const inWorktree = startRun([], { cwd: worktree, dataDir });
    closeEach(inWorktree, (r) => killPid(r.child.pid));
    const inMain = startRun([], { cwd: repo, dataDir });
    closeEach(inMain, (r) => killPid(r.child.pid));
    expect((await inWorktree.urls).https.hostname).toBe('feature-login.shop.localhost');
    expect((await inMain.urls).https.hostname).toBe('shop.localhost');
    for (const run of [inWorktree, inMain]) {
      await run.printed('listening on');
      const { http } = await run.urls;
      const body = JSON.parse((await request(Number(http.port), { host: http.host })).body) as { pid: number };
      closeEach(body.pid, killPid);
    }
  });

  it('at a monorepo root, runs every app portico.json lists under its own name, output prefixed', async () => {
    const root = join(dataDir, 'projects', 'mono');
    for (const app of ['apps/web', 'apps/api']) {
      await mkdir(join(root, app), { recursive: true });
      await writeFile(join(root, app, 'server.cjs'), ECHO_ENV_SERVER);
      await writeFile(join(root, app, 'package.json'), JSON.stringify({ name: app.replace('apps/', ''), scripts: { dev: 'node server.cjs' } }));
    }
    await writeFile(join(root, 'portico.json'), JSON.stringify({ apps: { 'apps/web': { name: 'mono-shop' }, 'apps/api': { name: 'api.mono-shop' } } }));
    const run = startRun([], { cwd: root, dataDir });
    closeEach(run, (r) => killPid(r.child.pid));
    await run.printed('[mono-shop] listening on');
    await run.printed('[api.mono-shop] listening on');
    const { http } = await run.urls;
    for (const host of ['mono-shop.localhost', 'api.mono-shop.localhost']) {
      const body = JSON.parse((await request(Number(http.port), { host })).body) as { pid: number; porticoUrl: string };
      closeEach(body.pid, killPid);
      expect(body.porticoUrl).toMatch(new RegExp(`^https://${host.replaceAll('.', '\\.')}:\\d+$`));
    }
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(130);
    expect(await statusFor(http)).toBe(404);
  });

  it('portico stop ends the background serve and clears its address', async () => {
    const address = JSON.parse(await readFile(join(dataDir, 'control.json'), 'utf8')) as { pid: number };
    const stopped = portico(['stop', '--data-dir', dataDir]);
    expect(stopped.stdout).toContain(`Stopped Portico (pid ${address.pid})`);
    expect(() => process.kill(address.pid, 0)).toThrow();
    expect(existsSync(join(dataDir, 'control.json'))).toBe(false);
    expect(portico(['status', '--data-dir', dataDir]).status).toBe(1);
  });
});
