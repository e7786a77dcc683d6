// `portico serve` with LAN sharing on, as a real process: it prints the LAN address, the
// token link and a QR code a phone can scan, and the printed link lets a device in.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';

const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));
let dataDir: string;
let backend: Backend;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portico-serve-lan-'));
  backend = await startBackend('shop');
});
afterAll(async () => {
  await backend?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('prints the LAN URL, the token link and its QR code; the link lets a device in', async () => {
  const config = join(dataDir, 'config.json');
  await writeFile(
    config,
    JSON.stringify({ lan: { enabled: true, address: '127.0.0.2', port: 0 }, routes: [{ host: 'shop.localhost', target: backend.url, share: true }] }),
  );
  const child = spawn(process.execPath, [MAIN, 'serve', '--data-dir', dataDir, '--config', config, '--http-port', '0', '--https-port', '0']);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('Press Ctrl+C to stop.')) resolve();
      });
      void exited.then((code) => reject(new Error(`portico exited (${code}) early:\n${stdout}`)));
    });
    const token = (await readFile(join(dataDir, 'lan-token'), 'utf8')).trim();
    expect(stdout).toMatch(/^LAN +sharing on 127\.0\.0\.2 over plain HTTP/m);
    const url = /^ {2}(http:\/\/127\.0\.0\.2:\d+\/) +→ +shop\.localhost$/m.exec(stdout)?.[1];
    expect(url, stdout).toBeDefined();
    expect(stdout).toContain(`  link  ${url}?portico-token=${token}`);
    expect(stdout).toMatch(/^ {2}[█▀▄ ]{20,}$/m); // the QR code, in half-block characters
    expect(stdout).toContain(`Token   ${join(dataDir, 'lan-token')}`);

    const port = Number(new URL(url!).port);
    const first = await request(port, { address: '127.0.0.2', path: `/?portico-token=${token}` });
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    const page = await request(port, { address: '127.0.0.2', path: first.headers.location!, headers: { cookie } });
    expect(page.body).toBe('shop');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
