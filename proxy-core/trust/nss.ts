// One NSS database (a browser profile's trust) through NSS's certutil. Trusted means our
// root is listed with the SSL trust flag "C" (a CA trusted to issue server certificates).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { planStore } from './plan-store.js';
import { certutilDb, type NssDb } from './nss-discovery.js';
import type { CommandRunner, StoreStatus, TrustRoot, TrustStore } from './types.js';

export interface NssEntry {
  nickname: string;
  /** "C,," → ['C', '', '']: SSL, S/MIME, code signing. */
  trust: [string, string, string];
}

/** Parses `certutil -L -d …`: a header, then "<nickname padded>   <ssl>,<smime>,<jar>". */
export function parseCertutilList(output: string): NssEntry[] {
  const entries: NssEntry[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^(.*\S)\s+([A-Za-z]*),([A-Za-z]*),([A-Za-z]*)\s*$/.exec(line);
    if (!m || /^Certificate Nickname\b/.test(line)) continue;
    entries.push({ nickname: m[1]!, trust: [m[2]!, m[3]!, m[4]!] });
  }
  return entries;
}

export interface NssStoreOptions {
  runner: CommandRunner;
  db: NssDb;
  /** The exact install line for certutil on this system. */
  certutilHint: string;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

export function nssStore({ runner, db, certutilHint }: NssStoreOptions): TrustStore {
  const d = certutilDb(db);
  const detect = async () => (await exists(path.join(db.dir, 'cert9.db'))) || exists(path.join(db.dir, 'cert8.db'));

  async function status(root: TrustRoot): Promise<StoreStatus> {
    if (!(await detect())) {
      return { state: 'not present', detail: db.browser === 'chrome' ? 'no database; the browser makes one on first start' : 'no database' };
    }
    const listed = await runner.run('certutil', ['-L', '-d', d], { elevate: false });
    if (listed.code === 127) return { state: 'unknown', detail: "NSS's certutil is not installed", fix: certutilHint };
    if (listed.code !== 0) return { state: 'unknown', detail: `certutil -L failed: ${listed.stderr.trim().split('\n')[0]}` };
    const entry = parseCertutilList(listed.stdout).find((e) => e.nickname === root.nickname);
    if (!entry) return { state: 'not trusted', detail: 'Portico CA not in this database', fix: `portico trust --only ${db.id}` };
    if (entry.trust[0].includes('C')) return { state: 'trusted', detail: `"${root.nickname}" with trust ${entry.trust.join(',')}` };
    return { state: 'not trusted', detail: `listed without SSL trust (${entry.trust.join(',')})`, fix: `portico trust --only ${db.id}` };
  }

  return planStore(runner, {
    id: db.id,
    group: 'nss',
    label: db.label,
    detect,
    status,
    // -A on a nickname that exists replaces its trust, so a re-run repairs bad flags.
    installCommands: (root) => [{ cmd: 'certutil', args: ['-A', '-d', d, '-t', 'C,,', '-n', root.nickname, '-i', root.file], elevate: false }],
    uninstallCommands: (root) => [{ cmd: 'certutil', args: ['-D', '-d', d, '-n', root.nickname], elevate: false }],
  });
}
