// NSS databases with the REAL certutil on temp databases (sql: and the old dbm: format),
// found by following a temp HOME; then the whole picture as `portico doctor` sees it.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootCa, openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { diagnose } from '../../proxy-core/trust/doctor.js';
import { trustRootFromPem } from '../../proxy-core/trust/root.js';
import { cliRunner, onPath } from '../../proxy-core/system/runners.js';
import { trustStores, type TrustEnvironment } from '../../proxy-core/trust/stores.js';
import type { TrustRoot } from '../../proxy-core/trust/types.js';
import { caFiles } from '../../proxy-core/tls/index.js';
import { debianTree, tempDir, withSbinOnPath } from '../helpers/trust.js';

const run = promisify(execFile);
withSbinOnPath(); // the doctor test runs update-ca-certificates on its temp tree
const hasCertutil = onPath('certutil') && onPath('update-ca-certificates');
if (!hasCertutil) console.warn('skipping: certutil or update-ca-certificates is missing (apt-get install libnss3-tools ca-certificates)');

async function newDb(dir: string, format: 'sql' | 'dbm'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await run('certutil', ['-N', '--empty-password', '-d', `${format}:${dir}`]);
}

const listing = async (db: string) => (await run('certutil', ['-L', '-d', db])).stdout;

describe.skipIf(!hasCertutil)('NSS stores, real certutil', () => {
  let dir: string;
  let home: string;
  let env: TrustEnvironment;
  let certs: Certificates;
  let root: TrustRoot;

  beforeAll(async () => {
    dir = await tempDir('nss');
    home = path.join(dir, 'home');
    await newDb(path.join(home, '.pki/nssdb'), 'sql');
    await newDb(path.join(home, '.mozilla/firefox/ab12.default-release'), 'sql');
    await newDb(path.join(home, '.mozilla/firefox/old.profile'), 'dbm');
    const sysroot = path.join(dir, 'sysroot');
    await debianTree(sysroot, (await createRootCa(['distro.example'])).certPem);
    certs = await openCertificates(path.join(dir, 'data'), ['localhost', 'test']);
    root = trustRootFromPem(caFiles(path.join(dir, 'data')).cert, certs.ca.certPem);
    env = { platform: 'linux', home, sysroot, runner: cliRunner('none') };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('follows HOME: Chrome candidates, each Firefox profile; the system store from os-release', async () => {
    const { stores, family } = await trustStores(env);
    expect(family).toBe('debian');
    expect(stores.map((s) => s.id)).toEqual([
      'system',
      'nss-chrome',
      'nss-chrome-xdg',
      'nss-chromium-snap',
      'nss-firefox-ab12.default-release',
      'nss-firefox-old.profile',
    ]);
    const present = await Promise.all(stores.map((s) => s.detect()));
    expect(present).toEqual([true, true, false, false, true, true]);
  });

  it('trust, status and untrust in every NSS database, sql and dbm alike', async () => {
    const { stores } = await trustStores(env);
    const nss = stores.filter((s) => s.group === 'nss');
    for (const store of nss) {
      const before = await store.status(root);
      if (!(await store.detect())) {
        expect(before.state).toBe('not present');
        continue;
      }
      expect(before).toMatchObject({ state: 'not trusted', fix: `portico trust --only ${store.id}` });
      const installed = await store.install(root);
      expect(installed.code, installed.stderr).toBe(0);
      expect(await store.status(root)).toEqual({ state: 'trusted', detail: `"${root.nickname}" with trust C,,` });
    }
    expect(await listing(`sql:${home}/.pki/nssdb`)).toMatch(new RegExp(`${root.nickname}\\s+C,,`));
    expect(await listing(`dbm:${home}/.mozilla/firefox/old.profile`)).toContain(root.nickname);
    // Installing again changes nothing and fails nothing.
    expect((await nss[0]!.install(root)).code).toBe(0);
    for (const store of nss) {
      if (!(await store.detect())) continue;
      expect((await store.uninstall(root)).code).toBe(0);
      expect((await store.status(root)).state).toBe('not trusted');
    }
    expect(await listing(`sql:${home}/.pki/nssdb`)).not.toContain('Portico');
  });

  it('the doctor: each store with its status, the handshake, what each browser would do', async () => {
    const { stores } = await trustStores(env);
    const chrome = stores.find((s) => s.id === 'nss-chrome')!;
    await chrome.install(root);
    const report = await diagnose({ env, root, leaves: certs.store, suffixes: ['localhost', 'test'], routeHosts: ['shop.test'], processEnv: {} });
    expect(report.stores.map((s) => [s.id, s.status.state])).toEqual([
      ['system', 'not trusted'],
      ['nss-chrome', 'trusted'],
      ['nss-chrome-xdg', 'not present'],
      ['nss-chromium-snap', 'not present'],
      ['nss-firefox-ab12.default-release', 'not trusted'],
      ['nss-firefox-old.profile', 'not trusted'],
    ]);
    expect(report.handshake).toMatchObject({
      host: 'shop.test',
      ok: false,
      against: path.join(env.sysroot, 'etc/ssl/certs/ca-certificates.crt'),
      fix: 'portico trust --only system',
    });
    expect(report.browsers).toEqual([
      { browser: 'Chrome/Chromium', trusts: 'yes', why: 'Chrome/Chromium (~/.pki/nssdb)' },
      expect.objectContaining({ browser: 'Firefox', trusts: 'no', fix: 'portico trust --only nss-firefox-ab12.default-release' }),
    ]);
    expect(report.node.state).toBe('not trusted');
    expect(report.problems).toBe(4); // system, two Firefox profiles, the handshake

    const system = stores.find((s) => s.id === 'system')!;
    expect((await system.install(root)).code).toBe(0);
    for (const s of stores.filter((x) => x.id.startsWith('nss-firefox'))) await s.install(root);
    const fixed = await diagnose({
      env,
      root,
      leaves: certs.store,
      suffixes: ['localhost', 'test'],
      routeHosts: [],
      processEnv: { NODE_EXTRA_CA_CERTS: root.file },
    });
    expect(fixed.handshake).toMatchObject({ host: 'portico-doctor.localhost', ok: true });
    expect(fixed.browsers.map((b) => b.trusts)).toEqual(['yes', 'yes']);
    expect(fixed.node.state).toBe('trusted');
    expect(fixed.problems).toBe(0);
  });
});
