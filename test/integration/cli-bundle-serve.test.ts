// The bundled `portico` (out/cli/portico.js, what users run) serving for real: its chunks
// take Node's built-ins with require() and leave rarely used code to load on first use,
// so this proves HTTP, HTTPS over HTTP/1.1 and HTTP/2 (verified against Portico's CA) and
// the control API all work through it — and that serving never loads Node's fetch stack.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { connectH2, httpsRequest } from '../helpers/tls.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'out/cli/portico.js');
const closeAll = closeAfter('all');
let dir: string;

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error('out/cli/portico.js is missing: run `npm run build` first');
  dir = await mkdtemp(join(tmpdir(), 'portico-bundle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Served {
  stdout: () => string;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** `node out/cli/portico.js serve …` with a preload that reports Node's loaded internals on exit. */
async function serveBundle(args: string[]): Promise<Served> {
  const report = join(dir, 'loaded.cjs');
  await writeFile(report, `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(process.moduleLoadList) + '\\n'));\n`);
  const child = spawn(process.execPath, [BUNDLE, 'serve', '--data-dir', join(dir, 'data'), ...args], {
    env: { ...process.env, NODE_OPTIONS: `--require ${report}` },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  closeAll(child, (c) => (c.exitCode === null && c.signalCode === null ? (c.kill('SIGKILL'), exited) : exited));
  await new Promise<void>((resolve, reject) => {
    const check = () => stdout.includes('Press Ctrl+C to stop.') && resolve();
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`portico exited before its banner\n${stdout}${stderr}`)));
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('the bundled portico serve', () => {
  it('proxies HTTP, HTTPS/1.1 and HTTP/2, answers its control API, and never loads the fetch stack', async () => {
    const app = closeAll(await startBackend('hello from the bundle'));
    const served = await serveBundle(['--http-port', '0', '--https-port', '0', '--control-port', '0', '--route', `app.localhost=${app.url}`]);
    const port = Number(/^HTTP +http:\/\/127\.0\.0\.1:(\d+)$/m.exec(served.stdout())?.[1]);
    const httpsPort = Number(/^HTTPS +https:\/\/127\.0\.0\.1:(\d+) /m.exec(served.stdout())?.[1]);
    const ui = /^UI +(http:\/\/\S+)$/m.exec(served.stdout())?.[1];
    const ca = await readFile(join(dir, 'data', 'ca', 'root.pem'), 'utf8');

    const plain = await request(port, { host: 'app.localhost' });
    expect([plain.status, plain.body]).toEqual([200, 'hello from the bundle']);

    const h1 = await httpsRequest(httpsPort, { host: 'app.localhost', ca });
    expect([h1.status, h1.httpVersion, h1.body]).toEqual([200, '1.1', 'hello from the bundle']);

    const h2 = await connectH2(httpsPort, 'app.localhost', ca);
    const reply = await h2.request({ ':path': '/' });
    await h2.close();
    expect([reply.status, reply.alpnProtocol, reply.body]).toEqual([200, 'h2', 'hello from the bundle']);

    const control = new URL(ui!);
    const routes = await fetch(new URL('/api/routes', control), { headers: { authorization: `Bearer ${control.searchParams.get('token')}` } });
    expect(routes.status).toBe(200);
    expect(await routes.text()).toContain('app.localhost');

    await served.stop();
    const loaded = JSON.parse(/^LOADED (.*)$/m.exec(served.stderr())?.[1] ?? '[]') as string[];
    expect(loaded).toContain('NativeModule http2');
    expect(loaded.filter((name) => name.includes('undici'))).toEqual([]);
  });
});
