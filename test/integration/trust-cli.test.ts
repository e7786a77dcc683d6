// `portico trust / untrust / doctor / hosts` as real processes from out/: NSS under a temp
// HOME, the Linux system store under a temp tree (PORTICO_SYSROOT), a temp hosts file.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRootCa } from '../../proxy-core/tls/index.js';
import { onPath } from '../../proxy-core/trust/runners.js';
import { debianTree, tempDir, withSbinOnPath } from '../helpers/trust.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));
withSbinOnPath();
const tools = onPath('certutil') && onPath('update-ca-certificates');
if (!tools) console.warn('skipping: certutil or update-ca-certificates is missing (apt-get install libnss3-tools ca-certificates)');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(!tools)('portico trust, untrust, doctor, hosts', () => {
  let dir: string;
  let home: string;
  let sysroot: string;
  let dataDir: string;
  const portico = (...args: string[]): Promise<Ran> =>
    run(process.execPath, [MAIN, ...args], { env: { ...process.env, HOME: home, PORTICO_SYSROOT: sysroot, PORTICO_DATA_DIR: dataDir, NODE_EXTRA_CA_CERTS: '' } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: Ran) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  const nss = () => `sql:${path.join(home, '.pki/nssdb')}`;
  const bundle = () => readFile(path.join(sysroot, 'etc/ssl/certs/ca-certificates.crt'), 'utf8').catch(() => '');

  beforeAll(async () => {
    dir = await tempDir('trust-cli');
    home = path.join(dir, 'home');
    sysroot = path.join(dir, 'sysroot');
    dataDir = path.join(dir, 'data');
    await mkdir(path.join(home, '.pki/nssdb'), { recursive: true });
    await run('certutil', ['-N', '--empty-password', '-d', nss()]);
    await debianTree(sysroot, (await createRootCa(['distro.example'])).certPem);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--dry-run prints the exact commands and changes nothing', async () => {
    const r = await portico('trust', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(dry run: nothing is changed)');
    expect(r.stdout).toMatch(new RegExp(`\\$ install -D -m 0644 \\S+/root\\.pem ${sysroot}/usr/local/share/ca-certificates/portico-[0-9a-f]{16}\\.crt`));
    expect(r.stdout).toContain(`$ update-ca-certificates --certsconf ${sysroot}/etc/ca-certificates.conf`);
    expect(r.stdout).toMatch(/\$ certutil -A -d sql:\S+\/home\/\.pki\/nssdb -t C,, -n 'Portico Development CA [0-9a-f]{12}'/);
    expect((await run('certutil', ['-L', '-d', nss()])).stdout).not.toContain('Portico');
    expect(await bundle()).toBe('');
  });

  it('trust --only nss: only the NSS database; certutil -L lists the Portico CA', async () => {
    const r = await portico('trust', '--only', 'nss');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Linux system trust');
    expect(r.stdout).toContain('export NODE_EXTRA_CA_CERTS=');
    expect(r.stdout).toContain('A browser that is already running keeps rejecting the certificate until you quit it');
    expect(r.stdout).toContain('chromium --user-data-dir="$(mktemp -d)"');
    expect((await run('certutil', ['-L', '-d', nss()])).stdout).toMatch(/Portico Development CA [0-9a-f]{12}\s+C,,/);
    expect((await portico('trust', '--only', 'nss')).stdout).toContain('✓ Chrome/Chromium (~/.pki/nssdb): already trusted');
  });

  it('doctor: each store with its status, the failing handshake and its fix; exit 1', async () => {
    const r = await portico('doctor');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ not trusted\s+Linux system trust \(debian family\) — not in \S+ca-certificates\.crt\n\s+fix: portico trust --only system/);
    expect(r.stdout).toMatch(/✓ trusted\s+Chrome\/Chromium \(~\/\.pki\/nssdb\)/);
    expect(r.stdout).toMatch(/· not present\s+Chromium snap \(~\/snap\/chromium\/current\/\.pki\/nssdb\)/);
    expect(r.stdout).toMatch(/✗ https:\/\/portico-doctor\.localhost NOT verified against \S+: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(r.stdout).toContain('✓ Chrome/Chromium would trust it');
    expect(r.stdout).toMatch(/problems? found/);
  });

  it('trust --only system (temp tree): the real bundle gains the root; doctor is happy', async () => {
    const r = await portico('trust', '--only', 'system');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('✓ trusted (in ');
    const root = await readFile(path.join(dataDir, 'ca/root.pem'), 'utf8');
    expect(await bundle()).toContain(root.trim().split('\n')[1]);
    const doctor = await run(process.execPath, [MAIN, 'doctor', '--json', '--hosts-file', path.join(dir, 'none')], {
      env: { ...process.env, HOME: home, PORTICO_SYSROOT: sysroot, PORTICO_DATA_DIR: dataDir, NODE_EXTRA_CA_CERTS: path.join(dataDir, 'ca/root.pem') },
    });
    const report = JSON.parse(doctor.stdout) as { problems: number; handshake: { ok: boolean } };
    expect(report).toMatchObject({ problems: 0, handshake: { ok: true } });
  });

  it('untrust: out of every store again', async () => {
    const r = await portico('untrust');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\$ rm -f \S+portico-[0-9a-f]{16}\.crt/);
    expect(r.stdout).toContain('$ update-ca-certificates --fresh');
    expect((await run('certutil', ['-L', '-d', nss()])).stdout).not.toContain('Portico');
    const root = await readFile(path.join(dataDir, 'ca/root.pem'), 'utf8');
    expect(await bundle()).not.toContain(root.trim().split('\n')[1]);
  });

  it.each([
    [['trust', '--only', 'keychain'], 2, /--only keychain: no such store here \(choose from system, nss, nss-chrome/],
    [['trust', 'now'], 2, /trust takes no arguments/],
    [['trust', '--dryrun'], 2, /unknown option --dryrun \(did you mean --dry-run\?\)/],
    [['hosts', 'frob'], 2, /unknown hosts action "frob"/],
    [['hosts', 'add', '*.shop.test', '--file', '/dev/null'], 1, /a hosts file cannot hold wildcards/],
  ])('%j → exit %i', async (args, code, message) => {
    const r = await portico(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('hosts: add, show, sync from the config, remove — on a temp file, user lines kept', async () => {
    const file = path.join(dir, 'hosts');
    const original = '127.0.0.1 localhost\n10.0.0.7 nas.lan\n';
    await writeFile(file, original);
    expect((await portico('hosts', 'add', 'shop.test', 'API.shop.test', '--file', file)).stdout).toContain('adding    api.shop.test, shop.test');
    expect((await portico('hosts', '--file', file)).stdout).toBe('api.shop.test\nshop.test\n');
    expect(await readFile(`${file}.portico-backup`, 'utf8')).toBe(original);

    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ routes: [
      { host: 'shop.test', target: 'http://127.0.0.1:3000' },
      { host: 'app.localhost', target: 'http://127.0.0.1:3001' },
      { host: '*.shop.test', target: 'http://127.0.0.1:3002' },
    ] }));
    const dry = await portico('hosts', 'sync', '--dry-run', '--file', file);
    expect(dry.stdout).toContain('would remove  api.shop.test');
    expect(dry.stdout).toContain('skipped   *.shop.test');
    expect((await portico('hosts', '--file', file)).stdout).toBe('api.shop.test\nshop.test\n');
    await portico('hosts', 'sync', '--file', file);
    expect((await portico('hosts', '--file', file)).stdout).toBe('shop.test\n');

    const doctor = await portico('doctor', '--hosts-file', file);
    expect(doctor.stdout).toContain('✓ every route host outside *.localhost is in the hosts file');
    await portico('hosts', 'clear', '--file', file);
    expect(await readFile(file, 'utf8')).toBe(original);
    expect((await portico('doctor', '--hosts-file', file)).stdout).toContain('✗ not in the hosts file: shop.test\n    fix: portico hosts sync');
  });
});
