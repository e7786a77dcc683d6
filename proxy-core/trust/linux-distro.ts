// Which Linux family we are on decides where system anchors go and how the bundle is
// rebuilt. Read from os-release (ID, then ID_LIKE), whose path is a parameter for tests.
import path from 'node:path';
import type { Command } from './types.js';

export type DistroFamily = 'debian' | 'fedora' | 'arch' | 'suse';

export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    fields[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(.)/g, '$1');
  }
  return fields;
}

const FAMILY_IDS: Record<DistroFamily, string[]> = {
  debian: ['debian', 'ubuntu', 'linuxmint', 'pop', 'raspbian', 'elementary', 'kali', 'zorin', 'neon', 'deepin'],
  fedora: ['fedora', 'rhel', 'centos', 'rocky', 'almalinux', 'ol', 'amzn', 'nobara'],
  arch: ['arch', 'manjaro', 'endeavouros', 'garuda', 'artix', 'cachyos'],
  suse: ['opensuse', 'opensuse-leap', 'opensuse-tumbleweed', 'sles', 'sled', 'suse'],
};

function familyOf(id: string): DistroFamily | undefined {
  for (const [family, ids] of Object.entries(FAMILY_IDS) as [DistroFamily, string[]][]) {
    if (ids.includes(id) || (family === 'suse' && id.startsWith('opensuse'))) return family;
  }
  return undefined;
}

/** ID decides when we know it; else the first ID_LIKE word we know (derivatives name their parent). */
export function distroFamily(osRelease: Record<string, string>): DistroFamily | undefined {
  const id = (osRelease['ID'] ?? '').toLowerCase();
  const like = (osRelease['ID_LIKE'] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  for (const candidate of [id, ...like]) {
    const family = familyOf(candidate);
    if (family) return family;
  }
  return undefined;
}

export interface SystemLayout {
  family: DistroFamily;
  /** Where a local root goes to be picked up by the refresh command. */
  anchorDir: string;
  /** The bundle the refresh writes and OpenSSL/curl/most programs read. */
  bundle: string;
  /** Rebuilds the bundle after adding an anchor; `fresh` after removing one. */
  refresh(fresh: boolean): Command;
}

/**
 * Paths under `sysroot` ('/' for real). Debian's update-ca-certificates takes every path
 * as a flag, which is what lets tests run the real command against a temp tree; the other
 * families' tools have fixed paths, so for them a sysroot only changes what we show.
 */
export function systemLayout(family: DistroFamily, sysroot = '/'): SystemLayout {
  const at = (p: string) => path.join(sysroot, p);
  const real = path.resolve(sysroot) === '/';
  switch (family) {
    case 'debian':
      return {
        family,
        anchorDir: at('/usr/local/share/ca-certificates'),
        bundle: at('/etc/ssl/certs/ca-certificates.crt'),
        refresh: (fresh) => ({
          cmd: 'update-ca-certificates',
          args: [
            ...(fresh ? ['--fresh'] : []),
            ...(real
              ? []
              : [
                  ['--certsconf', at('/etc/ca-certificates.conf')],
                  ['--certsdir', at('/usr/share/ca-certificates')],
                  ['--localcertsdir', at('/usr/local/share/ca-certificates')],
                  ['--etccertsdir', at('/etc/ssl/certs')],
                  ['--hooksdir', at('/etc/ca-certificates/update.d')],
                ].flat()),
          ],
          elevate: true,
        }),
      };
    case 'fedora':
      return {
        family,
        anchorDir: at('/etc/pki/ca-trust/source/anchors'),
        bundle: at('/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem'),
        refresh: () => ({ cmd: 'update-ca-trust', args: ['extract'], elevate: true }),
      };
    case 'arch':
      return {
        family,
        anchorDir: at('/etc/ca-certificates/trust-source/anchors'),
        bundle: at('/etc/ssl/certs/ca-certificates.crt'),
        refresh: () => ({ cmd: 'trust', args: ['extract-compat'], elevate: true }),
      };
    case 'suse':
      return {
        family,
        anchorDir: at('/usr/share/pki/trust/anchors'),
        bundle: at('/etc/ssl/ca-bundle.pem'),
        refresh: (fresh) => ({ cmd: 'update-ca-certificates', args: fresh ? ['--fresh'] : [], elevate: true }),
      };
  }
}

/** The exact install line for NSS's certutil, which is never there by default. */
export function certutilHint(platform: NodeJS.Platform, family: DistroFamily | undefined): string {
  if (platform === 'darwin') return 'brew install nss';
  switch (family) {
    case 'debian':
      return 'sudo apt install libnss3-tools';
    case 'fedora':
      return 'sudo dnf install nss-tools';
    case 'arch':
      return 'sudo pacman -S nss';
    case 'suse':
      return 'sudo zypper install mozilla-nss-tools';
    default:
      return "install NSS's certutil (the package is called libnss3-tools, nss-tools or nss)";
  }
}
