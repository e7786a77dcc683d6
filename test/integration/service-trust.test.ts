// trust.*, doctor and hosts.* through the control service, on a sandbox (temp HOME with a
// real NSS database, temp hosts file): what the UI's Certificates view drives.
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { startService, type TestService } from '../helpers/service.js';

const run = promisify(execFile);
const hasCertutil = await run('certutil', ['-H']).then(
  () => true,
  (error: { code?: unknown }) => error.code !== 'ENOENT',
);
let running: TestService;
afterEach(() => running?.close());

it.skipIf(!hasCertutil)('trusts the root in an NSS database, reports it, and takes it out again', async () => {
  running = await startService({ routes: [{ host: 'shop.test', target: 'http://127.0.0.1:9' }] });
  const nssdb = path.join(running.dataDir, 'home', '.pki', 'nssdb');
  await mkdir(nssdb, { recursive: true });
  await run('certutil', ['-N', '--empty-password', '-d', `sql:${nssdb}`]);

  const before = await running.service.call('trust.status', undefined);
  const chrome = before.find((s) => s.id === 'nss-chrome');
  expect(chrome?.status.state).toBe('not trusted');
  expect(chrome?.installCommands.join('\n')).toContain(`certutil -A -d sql:${nssdb}`);

  const installed = await running.service.call('trust.install', { only: ['nss'] });
  expect(installed).toEqual([expect.objectContaining({ id: 'nss-chrome', ok: true, status: expect.objectContaining({ state: 'trusted' }) })]);
  expect((await run('certutil', ['-L', '-d', `sql:${nssdb}`])).stdout).toContain('Portico Development CA');

  const report = await running.service.call('doctor', undefined);
  expect(report.stores.find((s) => s.id === 'nss-chrome')?.status.state).toBe('trusted');
  expect(report.browsers.find((b) => b.browser.includes('Chrom'))?.trusts).toBe('yes');

  await running.service.call('trust.uninstall', { only: ['nss-chrome'] });
  expect((await run('certutil', ['-L', '-d', `sql:${nssdb}`])).stdout).not.toContain('Portico Development CA');
});

it('manages the hosts-file block for route hosts browsers cannot resolve by themselves', async () => {
  running = await startService({
    routes: [
      { host: 'shop.test', target: 'http://127.0.0.1:9' },
      { host: 'app.localhost', target: 'http://127.0.0.1:9' },
    ],
  });
  const status = await running.service.call('hosts.status', undefined);
  expect(status).toMatchObject({ names: [], missing: ['shop.test'] });
  const after = await running.service.call('hosts.set', { names: status.missing });
  expect(after).toMatchObject({ names: ['shop.test'], missing: [] });
  const text = await readFile(status.file, 'utf8');
  expect(text).toMatch(/^127\.0\.0\.1 localhost\n/);
  expect(text).toContain('# BEGIN portico');
  expect(text).toMatch(/127\.0\.0\.1\s+shop\.test/);
});
