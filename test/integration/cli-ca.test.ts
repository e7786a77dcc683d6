// `portico ca export|info` as real processes, and HTTPS end to end: serve with
// --https-port, trust only the exported root, and get the backend's body over HTTP/2.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));
const portico = (...args: string[]) => run(process.execPath, [MAIN, ...args]);
const closeEach = closeAfter('each');

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portico-cli-ca-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('portico ca', () => {
  it('export prints the root: critical name constraints, ECDSA with SHA-256', async () => {
    const { stdout: pem, stderr } = await portico('ca', 'export', '--data-dir', dataDir);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(stderr).toContain('created a new root CA');
    const file = join(dataDir, 'exported.pem');
    await writeFile(file, pem);
    const { stdout: text } = await run('openssl', ['x509', '-in', file, '-noout', '-text']);
    expect(text).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:localhost\s+DNS:test/);
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    // A second export is the same root, not a new one.
    expect((await portico('ca', 'export', '--data-dir', dataDir)).stdout).toBe(pem);
  });

  it('info names the fingerprint openssl computes, the permitted names and the files', async () => {
    const { stdout: pem } = await portico('ca', 'export', '--data-dir', dataDir);
    const file = join(dataDir, 'again.pem');
    await writeFile(file, pem);
    const { stdout: fp } = await run('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha256']);
    const { stdout: info } = await portico('ca', 'info', '--data-dir', dataDir);
    expect(info).toContain(`SHA-256      ${fp.trim().split('=')[1]}`);
    expect(info).toContain('Permitted    localhost, test, 127.0.0.0/8, ::1/128');
    expect(info).toContain(join(dataDir, 'ca', 'root-key.pem'));
    const json = JSON.parse((await portico('ca', 'info', '--json', '--data-dir', dataDir)).stdout) as { permitted: string[] };
    expect(json.permitted).toEqual(['localhost', 'test', '127.0.0.0/8', '::1/128']);
  });

  it('follows ca.suffixes in the config, rotating the root when they change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portico-cli-ca-rotate-'));
    try {
      const first = (await portico('ca', 'info', '--json', '--data-dir', dir)).stdout;
      await writeFile(join(dir, 'config.json'), JSON.stringify({ ca: { suffixes: ['localhost', 'test', 'internal'] } }));
      const { stdout, stderr } = await portico('ca', 'info', '--data-dir', dir);
      expect(stderr).toContain('suffixes changed');
      expect(stdout).toContain('Permitted    localhost, test, internal, 127.0.0.0/8, ::1/128');
      expect(stdout).toContain((JSON.parse(first) as { fingerprintSha256: string }).fingerprintSha256);
      expect(stdout).toContain('Retired roots');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a wrong action is a usage error', async () => {
    await expect(portico('ca', 'import', '--data-dir', dataDir)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown ca action "import"'),
    });
  });
});

describe('HTTPS end to end', () => {
  it('serve --https-port: an HTTP/2 request trusting only the exported root gets the backend body', async () => {
    const app = closeEach(await startBackend('hello over h2'));
    const child = spawn(process.execPath, [
      MAIN,
      'serve',
      '--data-dir',
      dataDir,
      '--http-port',
      '0',
      '--https-port',
      '0',
      '--route',
      `app.localhost=${app.url}`,
    ]);
    closeEach(child, (c) => c.kill('SIGKILL'));
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const m = /^HTTPS +https:\/\/127\.0\.0\.1:(\d+) /m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const { stdout: ca } = await portico('ca', 'export', '--data-dir', dataDir);
    const session = http2.connect(`https://app.localhost:${port}`, {
      ca,
      lookup: (_host, _options, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]),
    });
    closeEach(session, (s) => s.close());
    const { status, body, alpn } = await new Promise<{ status: number; body: string; alpn: string | false | undefined }>((resolve, reject) => {
      const stream = session.request({ ':path': '/' });
      let data = '';
      let status = 0;
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
      stream.on('end', () => resolve({ status, body: data, alpn: session.alpnProtocol }));
      stream.on('error', reject);
      stream.end();
    });
    expect(alpn).toBe('h2');
    expect(status).toBe(200);
    expect(body).toBe('hello over h2');
    expect(app.requests[0]?.headers['x-forwarded-proto']).toBe('https');
  });
});
