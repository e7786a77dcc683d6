// Trust end to end: `HOME=$T portico trust --only nss` puts the root in
// $T/.pki/nssdb (certutil -L lists it), and Debian's Chromium with that HOME loads
// https://app.localhost:PORT/ through Portico with no certificate error; after
// `portico untrust --only nss` a fresh Chromium refuses the certificate again. Also: with
// no ~/.pki/nssdb, Debian's Chromium (156) reads ~/.local/share/pki/nssdb instead.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { chromiumMissing, loadInChromium } from '../helpers/chromium.js';
import { startHttpsEngine, type HttpsEngine } from '../helpers/tls.js';
import { tempDir } from '../helpers/trust.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));

const missing = chromiumMissing();
if (missing) console.warn(`skipping the Chromium trust test: ${missing}`);

describe.skipIf(missing !== undefined)('Chromium trusts Portico after `portico trust --only nss`', { timeout: 90_000 }, () => {
  let home: string;
  let dataDir: string;
  let backend: Backend;
  let portico: HttpsEngine;
  let url: string;
  const nssdb = () => `sql:${path.join(home, '.pki', 'nssdb')}`;
  const cli = (...args: string[]) => run(process.execPath, [MAIN, ...args, '--data-dir', dataDir], { env: { ...process.env, HOME: home } });

  beforeAll(async () => {
    home = await tempDir('e2e-home');
    dataDir = path.join(home, 'portico-data');
    await mkdir(path.join(home, '.pki', 'nssdb'), { recursive: true });
    await run('certutil', ['-N', '--empty-password', '-d', nssdb()]);
    backend = await startBackend('hello from the dev server');
    portico = await startHttpsEngine(dataDir, [{ host: 'app.localhost', target: backend.url }]);
    url = `https://app.localhost:${portico.httpsPort}/`;
  });
  afterAll(async () => {
    await portico?.close();
    await backend?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('before trusting: the certificate error (so the test can tell the difference)', async () => {
    const load = await loadInChromium(home, url);
    expect(load).toMatchObject({ ok: false, error: expect.stringContaining('net::ERR_CERT_AUTHORITY_INVALID') });
  });

  it('trust --only nss: certutil lists the CA and the page loads without an interstitial', async () => {
    const { stdout } = await cli('trust', '--only', 'nss');
    expect(stdout).toMatch(/Chrome\/Chromium \(~\/\.pki\/nssdb\): not trusted .*; running:/);
    expect(stdout).toMatch(/\$ certutil -A -d sql:\S+\/\.pki\/nssdb -t C,, -n 'Portico Development CA [0-9a-f]{12}' -i \S+root\.pem/);
    expect(stdout).toContain('✓ trusted');
    const { stdout: listed } = await run('certutil', ['-L', '-d', nssdb()]);
    expect(listed).toMatch(/Portico Development CA [0-9a-f]{12}\s+C,,/);

    const load = await loadInChromium(home, url);
    expect(load).toEqual({ ok: true, status: 200, text: 'hello from the dev server' });
  });

  it('doctor says Chrome would trust it', async () => {
    const { stdout } = await cli('doctor').catch((error: { stdout: string }) => error); // exit 1: the system store is not trusted here
    expect(stdout).toMatch(/✓ trusted\s+Chrome\/Chromium \(~\/\.pki\/nssdb\)/);
    expect(stdout).toMatch(/✓ Chrome\/Chromium would trust it/);
  });

  it('untrust --only nss: a fresh Chromium shows the certificate error again', async () => {
    const { stdout } = await cli('untrust', '--only', 'nss');
    expect(stdout).toMatch(/\$ certutil -D -d sql:\S+ -n 'Portico Development CA [0-9a-f]{12}'/);
    const { stdout: listed } = await run('certutil', ['-L', '-d', nssdb()]);
    expect(listed).not.toContain('Portico');

    const load = await loadInChromium(home, url);
    expect(load).toMatchObject({ ok: false, error: expect.stringContaining('net::ERR_CERT_AUTHORITY_INVALID') });
  });

  it('a HOME with only the XDG database (~/.local/share/pki/nssdb): Chromium reads that one', async () => {
    const xdgHome = path.join(home, 'xdg-home');
    const db = `sql:${path.join(xdgHome, '.local', 'share', 'pki', 'nssdb')}`;
    await mkdir(db.slice(4), { recursive: true });
    await run('certutil', ['-N', '--empty-password', '-d', db]);
    const { stdout } = await run(process.execPath, [MAIN, 'trust', '--only', 'nss', '--data-dir', dataDir], { env: { ...process.env, HOME: xdgHome } });
    expect(stdout).toMatch(/Chrome\/Chromium, XDG location \(~\/\.local\/share\/pki\/nssdb\): not trusted/);
    expect(await loadInChromium(xdgHome, url)).toEqual({ ok: true, status: 200, text: 'hello from the dev server' });
  });
});
