// The Linux system store with the REAL update-ca-certificates, run against a temp tree
// (never this machine's /etc), and the doctor's handshake against the bundle it builds.
import { lstat, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootCa, openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { handshakeCheck } from '../../proxy-core/trust/handshake.js';
import { anchorFile, linuxSystemStore } from '../../proxy-core/trust/linux-system.js';
import { systemLayout } from '../../proxy-core/trust/linux-distro.js';
import { trustRootFromPem } from '../../proxy-core/trust/root.js';
import { cliRunner, onPath } from '../../proxy-core/system/runners.js';
import type { TrustRoot, TrustStore } from '../../proxy-core/trust/types.js';
import { debianTree, tempDir, withSbinOnPath } from '../helpers/trust.js';

withSbinOnPath();
const hasTool = onPath('update-ca-certificates');
if (!hasTool) console.warn('skipping: update-ca-certificates is not installed (apt-get install ca-certificates)');

describe.skipIf(!hasTool)('Linux system store (Debian family), real update-ca-certificates', () => {
  let dir: string;
  let sysroot: string;
  let root: TrustRoot;
  let certs: Certificates;
  let store: TrustStore;
  let distroPem: string;
  const layout = () => systemLayout('debian', sysroot);
  const bundle = () => readFile(layout().bundle, 'utf8');
  // Tests never elevate: the temp tree is ours, and sudo here would touch nothing anyway.
  const runner = cliRunner('none');

  beforeAll(async () => {
    dir = await tempDir('sysroot');
    sysroot = path.join(dir, 'root');
    distroPem = (await createRootCa(['distro.example'])).certPem;
    await debianTree(sysroot, distroPem);
    const dataDir = path.join(dir, 'data');
    certs = await openCertificates(dataDir, ['localhost', 'test']);
    await writeFile(path.join(dir, 'root.pem'), certs.ca.certPem);
    ({ root } = await makeRootFrom(path.join(dir, 'root.pem'), certs.ca.certPem));
    store = linuxSystemStore({ runner, family: 'debian', sysroot });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('starts out not trusted, and the handshake against the bundle fails', async () => {
    expect(await store.detect()).toBe(true);
    expect(await store.status(root)).toEqual({ state: 'not trusted', detail: `not in ${layout().bundle}`, fix: 'portico trust --only system' });
    // No bundle yet at all: build the distribution one first, as a real system has.
    await runner.run('update-ca-certificates', layout().refresh(false).args, { elevate: false });
    expect(await bundle()).toContain(distroPem.trim().split('\n')[1]);
    const check = await handshakeCheck(certs.store, 'app.localhost', [await bundle()]);
    expect(check).toMatchObject({ ok: false, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('install: the anchor file, a hash link, the root in the bundle — and a verified handshake', async () => {
    const commands = store.installCommands(root).map((c) => [c.cmd, ...c.args].join(' '));
    expect(commands[0]).toBe(`install -D -m 0644 ${root.file} ${anchorFile(layout().anchorDir, root)}`);
    expect(commands[1]).toMatch(/^update-ca-certificates --certsconf .*--hooksdir /);
    const result = await store.install(root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('1 added, 0 removed; done.');
    expect((await lstat(anchorFile(layout().anchorDir, root))).mode & 0o777).toBe(0o644);
    const links = await readdir(path.join(sysroot, 'etc/ssl/certs'));
    expect(links).toContain(`${path.basename(anchorFile(layout().anchorDir, root), '.crt')}.pem`);
    expect(await store.status(root)).toEqual({ state: 'trusted', detail: `in ${layout().bundle}` });
    expect(await bundle()).toContain(distroPem.trim().split('\n')[1]); // the others stay
    expect(await handshakeCheck(certs.store, 'app.localhost', [await bundle()])).toEqual({ host: 'app.localhost', ok: true });
    // The name constraints hold even when trusted: the root cannot vouch for other names.
    expect((await handshakeCheck(certs.store, 'example.com', [await bundle()])).ok).toBe(false);
  });

  it('an anchor whose bundle was not rebuilt is "not trusted", with the refresh as the fix', async () => {
    const other = await makeRootFrom(path.join(dir, 'other.pem'), (await createRootCa(['test'])).certPem);
    await writeFile(other.root.file, other.root.pem);
    await writeFile(anchorFile(layout().anchorDir, other.root), other.root.pem);
    const status = await store.status(other.root);
    expect(status.state).toBe('not trusted');
    expect(status.detail).toContain('was not rebuilt');
    expect(status.fix).toMatch(/^update-ca-certificates --certsconf /);
    await rm(anchorFile(layout().anchorDir, other.root));
  });

  it('uninstall: anchor, link and bundle entry gone; the distribution CA stays', async () => {
    const result = await store.uninstall(root);
    expect(result.code, result.stderr).toBe(0);
    expect((await store.status(root)).state).toBe('not trusted');
    const links = await readdir(path.join(sysroot, 'etc/ssl/certs'));
    expect(links.filter((l) => l.startsWith('portico-'))).toEqual([]);
    expect(await bundle()).toContain(distroPem.trim().split('\n')[1]);
    expect((await handshakeCheck(certs.store, 'app.localhost', [await bundle()])).ok).toBe(false);
  });
});

async function makeRootFrom(file: string, pem: string): Promise<{ root: TrustRoot }> {
  return { root: trustRootFromPem(file, pem) };
}
