// NSS: reading certutil's listing, finding databases under a home, `--only`, Node's line.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeClientsStatus, nodeExtraCaLine } from '../../proxy-core/trust/node-clients.js';
import { certutilDb, findNssDbs, tilde } from '../../proxy-core/trust/nss-discovery.js';
import { nssStore, parseCertutilList } from '../../proxy-core/trust/nss.js';
import { selectStores } from '../../proxy-core/trust/stores.js';
import type { TrustStore } from '../../proxy-core/trust/types.js';
import { rootAt, scriptedRunner, tempDir } from '../helpers/trust.js';

// `certutil -L -d sql:…` as NSS 3.87 prints it (names padded to column 61).
const LISTING = `
Certificate Nickname                                         Trust Attributes
                                                             SSL,S/MIME,JAR/XPI

Portico Development CA 0a1b2c3d4e5f                          C,,  
DigiCert Global Root G2 - DigiCert Inc                       CT,C,C
some user cert                                               u,u,u
untrusted import                                             ,,   
`;

describe('parseCertutilList', () => {
  it('reads nicknames (with spaces) and the three trust fields', () => {
    expect(parseCertutilList(LISTING)).toEqual([
      { nickname: 'Portico Development CA 0a1b2c3d4e5f', trust: ['C', '', ''] },
      { nickname: 'DigiCert Global Root G2 - DigiCert Inc', trust: ['CT', 'C', 'C'] },
      { nickname: 'some user cert', trust: ['u', 'u', 'u'] },
      { nickname: 'untrusted import', trust: ['', '', ''] },
    ]);
  });

  it('an empty database lists nothing', () => expect(parseCertutilList(LISTING.split('\n').slice(0, 4).join('\n'))).toEqual([]));
});

describe('findNssDbs', () => {
  let home: string;
  beforeAll(async () => {
    home = await tempDir('nss-home');
    const touch = async (p: string) => {
      await mkdir(path.dirname(path.join(home, p)), { recursive: true });
      await writeFile(path.join(home, p), '');
    };
    await touch('.pki/nssdb/cert9.db');
    await touch('.mozilla/firefox/ab12.default-release/cert9.db');
    await touch('.mozilla/firefox/old.profile/cert8.db');
    await mkdir(path.join(home, '.mozilla/firefox/never-started'), { recursive: true });
    await touch('.mozilla/firefox/profiles.ini');
    await touch('snap/firefox/common/.mozilla/firefox/sn4p.default/cert9.db');
    await touch('.var/app/org.mozilla.firefox/.mozilla/firefox/fl4t.default/cert9.db');
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('finds Chrome candidates and every started Firefox profile, classic, snap and flatpak', async () => {
    const dbs = await findNssDbs(home, 'linux');
    expect(dbs.map((d) => [d.id, tilde(home, d.dir), d.format])).toEqual([
      ['nss-chrome', '~/.pki/nssdb', 'sql'],
      ['nss-chrome-xdg', '~/.local/share/pki/nssdb', 'sql'],
      ['nss-chromium-snap', '~/snap/chromium/current/.pki/nssdb', 'sql'],
      ['nss-firefox-ab12.default-release', '~/.mozilla/firefox/ab12.default-release', 'sql'],
      ['nss-firefox-old.profile', '~/.mozilla/firefox/old.profile', 'dbm'],
      ['nss-firefox-snap-sn4p.default', '~/snap/firefox/common/.mozilla/firefox/sn4p.default', 'sql'],
      ['nss-firefox-flatpak-fl4t.default', '~/.var/app/org.mozilla.firefox/.mozilla/firefox/fl4t.default', 'sql'],
    ]);
    expect(dbs[0]?.label).toBe('Chrome/Chromium (~/.pki/nssdb)');
  });

  it('uses the prefix that matches the database format', () => {
    expect(certutilDb({ dir: '/h/.pki/nssdb', format: 'sql' })).toBe('sql:/h/.pki/nssdb');
    expect(certutilDb({ dir: '/h/p', format: 'dbm' })).toBe('dbm:/h/p');
  });

  it('on macOS looks for Firefox profiles only (Chrome uses the keychain); on Windows for none', async () => {
    expect(await findNssDbs(home, 'darwin')).toEqual([]);
    expect(await findNssDbs(home, 'win32')).toEqual([]);
  });

  it('NSS store commands: add with trust C,, under a per-root nickname, delete by it', async () => {
    const root = await rootAt('/data/ca/root.pem');
    const db = (await findNssDbs(home, 'linux'))[4]!; // the dbm profile
    const store = nssStore({ runner: scriptedRunner(), db, certutilHint: 'sudo apt install libnss3-tools' });
    expect(store.installCommands(root)[0]?.args).toEqual(['-A', '-d', `dbm:${db.dir}`, '-t', 'C,,', '-n', root.nickname, '-i', '/data/ca/root.pem']);
    expect(store.uninstallCommands(root)[0]?.args).toEqual(['-D', '-d', `dbm:${db.dir}`, '-n', root.nickname]);
    expect(root.nickname).toMatch(/^Portico Development CA [0-9a-f]{12}$/);
  });

  it('no certutil: status unknown, with the package to install', async () => {
    const root = await rootAt('/data/ca/root.pem');
    const db = (await findNssDbs(home, 'linux'))[0]!;
    const runner = scriptedRunner({ certutil: { code: 127, stderr: 'certutil: command not found' } });
    expect(await nssStore({ runner, db, certutilHint: 'sudo apt install libnss3-tools' }).status(root)).toEqual({
      state: 'unknown',
      detail: "NSS's certutil is not installed",
      fix: 'sudo apt install libnss3-tools',
    });
  });
});

describe('selectStores', () => {
  const store = (id: string, group: 'system' | 'nss'): TrustStore => ({ id, group }) as TrustStore;
  const stores = [store('system', 'system'), store('nss-chrome', 'nss'), store('nss-firefox-a.default', 'nss'), store('nss-firefox-snap-b', 'nss')];
  const ids = (only: string[]) => selectStores(stores, only);

  it.each([
    [[], ['system', 'nss-chrome', 'nss-firefox-a.default', 'nss-firefox-snap-b'], []],
    [['system'], ['system'], []],
    [['nss'], ['nss-chrome', 'nss-firefox-a.default', 'nss-firefox-snap-b'], []],
    [['nss-firefox'], ['nss-firefox-a.default', 'nss-firefox-snap-b'], []],
    [['nss-chrome', 'system'], ['system', 'nss-chrome'], []],
    [['nss-firefox-a.default'], ['nss-firefox-a.default'], []],
    [['keychain'], [], ['keychain']],
    [['nss-chr'], [], ['nss-chr']],
  ])('--only %j', (only, selected, unknown) => {
    const r = ids(only);
    expect(r.selected.map((s) => s.id)).toEqual(selected);
    expect(r.unknown).toEqual(unknown);
  });
});

describe('Node clients', () => {
  it('shows the line for the platform', () => {
    expect(nodeExtraCaLine('/home/j/.local/share/Portico/ca/root.pem', 'linux')).toBe('export NODE_EXTRA_CA_CERTS=/home/j/.local/share/Portico/ca/root.pem');
    expect(nodeExtraCaLine('/Users/j/Library/Application Support/Portico/ca/root.pem', 'darwin')).toBe(
      "export NODE_EXTRA_CA_CERTS='/Users/j/Library/Application Support/Portico/ca/root.pem'",
    );
    expect(nodeExtraCaLine('C:\\Users\\J D\\root.pem', 'win32')).toBe('setx NODE_EXTRA_CA_CERTS "C:\\Users\\J D\\root.pem"');
  });

  it('is trusted only when NODE_EXTRA_CA_CERTS names a file holding the root', async () => {
    const root = await rootAt('/data/ca/root.pem');
    const files: Record<string, string> = { '/data/ca/root.pem': root.pem, '/other.pem': (await rootAt('/x')).pem };
    const read = (f: string) => {
      if (!(f in files)) throw new Error('ENOENT');
      return files[f]!;
    };
    expect(nodeClientsStatus(root, { NODE_EXTRA_CA_CERTS: '/data/ca/root.pem' }, 'linux', read).state).toBe('trusted');
    expect(nodeClientsStatus(root, { NODE_EXTRA_CA_CERTS: '/other.pem' }, 'linux', read).detail).toBe('NODE_EXTRA_CA_CERTS=/other.pem does not hold this root');
    expect(nodeClientsStatus(root, { NODE_EXTRA_CA_CERTS: '/gone.pem' }, 'linux', read).detail).toBe('NODE_EXTRA_CA_CERTS=/gone.pem cannot be read');
    expect(nodeClientsStatus(root, {}, 'linux', read)).toMatchObject({
      state: 'not trusted',
      fix: expect.stringContaining('export NODE_EXTRA_CA_CERTS=/data/ca/root.pem'),
    });
  });
});
