// Where NSS databases live: Chrome/Chromium's shared one (~/.pki/nssdb, or when that is
// missing the XDG ~/.local/share/pki/nssdb, which NSS falls back to), snap Chromium's,
// and every Firefox profile (classic, snap, flatpak, XDG). All of it under one home
// directory, so HOME=/tmp/x finds only what is under /tmp/x.
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface NssDb {
  id: string;
  label: string;
  dir: string;
  /** 'sql' for cert9.db (current), 'dbm' for cert8.db (old Firefox). */
  format: 'sql' | 'dbm';
  browser: 'chrome' | 'firefox';
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** `~/…` for a path under home, for labels people can read. */
export function tilde(home: string, p: string): string {
  const rel = path.relative(home, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `~/${rel.split(path.sep).join('/')}` : p;
}

async function formatOf(dir: string): Promise<'sql' | 'dbm' | undefined> {
  if (await exists(path.join(dir, 'cert9.db'))) return 'sql';
  if (await exists(path.join(dir, 'cert8.db'))) return 'dbm';
  return undefined;
}

/** The Chrome-side databases, whether they exist or not (doctor lists the missing ones too). */
export function chromeDbCandidates(home: string, platform: NodeJS.Platform): { id: string; name: string; dir: string }[] {
  if (platform !== 'linux') return []; // Chrome elsewhere uses the OS store
  return [
    { id: 'nss-chrome', name: 'Chrome/Chromium', dir: path.join(home, '.pki', 'nssdb') },
    { id: 'nss-chrome-xdg', name: 'Chrome/Chromium, XDG location', dir: path.join(home, '.local', 'share', 'pki', 'nssdb') },
    { id: 'nss-chromium-snap', name: 'Chromium snap', dir: path.join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb') },
  ];
}

/** Folders that hold Firefox profiles, each with the id prefix for its profiles. */
export function firefoxProfileRoots(home: string, platform: NodeJS.Platform): { prefix: string; name: string; dir: string }[] {
  if (platform === 'darwin') {
    return [{ prefix: 'nss-firefox', name: 'Firefox', dir: path.join(home, 'Library', 'Application Support', 'Firefox', 'Profiles') }];
  }
  if (platform !== 'linux') return [];
  return [
    { prefix: 'nss-firefox', name: 'Firefox', dir: path.join(home, '.mozilla', 'firefox') },
    { prefix: 'nss-firefox-xdg', name: 'Firefox', dir: path.join(home, '.config', 'mozilla', 'firefox') },
    { prefix: 'nss-firefox-snap', name: 'Firefox snap', dir: path.join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox') },
    { prefix: 'nss-firefox-flatpak', name: 'Firefox flatpak', dir: path.join(home, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox') },
  ];
}

/** Chrome candidates (format guessed 'sql' when absent) and every Firefox profile found. */
export async function findNssDbs(home: string, platform: NodeJS.Platform): Promise<NssDb[]> {
  const found: NssDb[] = [];
  for (const c of chromeDbCandidates(home, platform)) {
    found.push({ id: c.id, label: `${c.name} (${tilde(home, c.dir)})`, dir: c.dir, format: (await formatOf(c.dir)) ?? 'sql', browser: 'chrome' });
  }
  for (const root of firefoxProfileRoots(home, platform)) {
    const entries = await readdir(root.dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = path.join(root.dir, entry.name);
      const format = await formatOf(dir);
      if (!format) continue; // a profile Firefox never started: nothing to trust into yet
      found.push({ id: `${root.prefix}-${entry.name}`, label: `${root.name} profile ${entry.name} (${tilde(home, dir)})`, dir, format, browser: 'firefox' });
    }
  }
  return found;
}

/** certutil's -d argument: the format prefix matters (without it, old certutil assumes dbm). */
export const certutilDb = (db: Pick<NssDb, 'dir' | 'format'>): string => `${db.format}:${db.dir}`;
