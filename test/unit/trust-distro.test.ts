// Linux families: from os-release to anchor folder, bundle and refresh command.
import { describe, expect, it } from 'vitest';
import { certutilHint, distroFamily, parseOsRelease, systemLayout, type DistroFamily } from '../../proxy-core/trust/linux-distro.js';

const DEBIAN = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
ID=debian
HOME_URL="https://www.debian.org/"
`;
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n';
const MINT = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n';
const ROCKY = 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n';
const ARCH = 'NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n';
const MANJARO = 'NAME="Manjaro Linux"\nID="manjaro"\nID_LIKE="arch"\n';
const TUMBLEWEED = 'NAME="openSUSE Tumbleweed"\nID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n';
const SLES = 'NAME="SLES"\nID="sles"\nID_LIKE="suse"\n';
const POP = "NAME='Pop!_OS'\nID=pop\nID_LIKE='ubuntu debian'\n";
const UNKNOWN = 'NAME="Plan 9"\nID=plan9\n';
const DERIVED = 'NAME="Some Spin"\nID=somespin\nID_LIKE="fedora"\n';

describe('os-release', () => {
  it('reads quoted and unquoted values, ignoring other lines', () => {
    expect(parseOsRelease(DEBIAN)).toMatchObject({ ID: 'debian', VERSION_ID: '12', PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)' });
    expect(parseOsRelease(POP)['NAME']).toBe('Pop!_OS');
    expect(parseOsRelease('# comment\n\nID="a \\"b\\""\r\n')['ID']).toBe('a "b"');
  });

  it.each([
    ['Debian', DEBIAN, 'debian'],
    ['Ubuntu', UBUNTU, 'debian'],
    ['Linux Mint', MINT, 'debian'],
    ['Pop!_OS', POP, 'debian'],
    ['Fedora', FEDORA, 'fedora'],
    ['Rocky', ROCKY, 'fedora'],
    ['a Fedora spin we do not know by ID', DERIVED, 'fedora'],
    ['Arch', ARCH, 'arch'],
    ['Manjaro', MANJARO, 'arch'],
    ['openSUSE Tumbleweed', TUMBLEWEED, 'suse'],
    ['SLES', SLES, 'suse'],
    ['unknown', UNKNOWN, undefined],
    ['no os-release', '', undefined],
  ])('%s → %s', (_name, text, family) => expect(distroFamily(parseOsRelease(text))).toBe(family));
});

describe('systemLayout', () => {
  it.each([
    ['debian', '/usr/local/share/ca-certificates', '/etc/ssl/certs/ca-certificates.crt', 'update-ca-certificates', 'update-ca-certificates --fresh'],
    ['fedora', '/etc/pki/ca-trust/source/anchors', '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', 'update-ca-trust extract', 'update-ca-trust extract'],
    ['arch', '/etc/ca-certificates/trust-source/anchors', '/etc/ssl/certs/ca-certificates.crt', 'trust extract-compat', 'trust extract-compat'],
    ['suse', '/usr/share/pki/trust/anchors', '/etc/ssl/ca-bundle.pem', 'update-ca-certificates', 'update-ca-certificates --fresh'],
  ] as const)('%s', (family: DistroFamily, anchors, bundle, refresh, fresh) => {
    const layout = systemLayout(family);
    expect(layout.anchorDir).toBe(anchors);
    expect(layout.bundle).toBe(bundle);
    const line = (c: { cmd: string; args: string[] }) => [c.cmd, ...c.args].join(' ');
    expect(line(layout.refresh(false))).toBe(refresh);
    expect(line(layout.refresh(true))).toBe(fresh);
    expect(layout.refresh(false).elevate).toBe(true);
  });

  it("points Debian's update-ca-certificates at every folder of a temp tree", () => {
    const layout = systemLayout('debian', '/tmp/root');
    expect(layout.anchorDir).toBe('/tmp/root/usr/local/share/ca-certificates');
    expect(layout.refresh(true).args).toEqual([
      '--fresh',
      '--certsconf',
      '/tmp/root/etc/ca-certificates.conf',
      '--certsdir',
      '/tmp/root/usr/share/ca-certificates',
      '--localcertsdir',
      '/tmp/root/usr/local/share/ca-certificates',
      '--etccertsdir',
      '/tmp/root/etc/ssl/certs',
      '--hooksdir',
      '/tmp/root/etc/ca-certificates/update.d',
    ]);
  });
});

describe('certutilHint', () => {
  it.each([
    ['linux', 'debian', 'sudo apt install libnss3-tools'],
    ['linux', 'fedora', 'sudo dnf install nss-tools'],
    ['linux', 'arch', 'sudo pacman -S nss'],
    ['linux', 'suse', 'sudo zypper install mozilla-nss-tools'],
    ['darwin', undefined, 'brew install nss'],
  ] as const)('%s %s → %s', (platform, family, hint) => expect(certutilHint(platform, family)).toBe(hint));

  it('names the packages when the family is unknown', () => expect(certutilHint('linux', undefined)).toMatch(/libnss3-tools.*nss-tools/));
});
