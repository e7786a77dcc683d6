// macOS System keychain: exact command lines, and reading `security`'s answers.
import { describe, expect, it } from 'vitest';
import { macosKeychainStore, parseFindCertificate, parseVerifyCert } from '../../proxy-core/trust/macos.js';
import { rootAt, scriptedRunner } from '../helpers/trust.js';

const FILE = '/Users/jane/Library/Application Support/Portico/ca/root.pem';

// What `security verify-cert -c root.pem` prints on macOS 14, trusted and not.
const VERIFIED = { code: 0, stdout: '...certificate verification successful.\n' };
const NOT_TRUSTED = { code: 1, stdout: '', stderr: 'Cert Verify Result: CSSMERR_TP_NOT_TRUSTED\n' };

function findOutput(sha1: string): string {
  return `SHA-256 hash: 5A1C0E6B0C0A8A1E2C3D4E5F60718293A4B5C6D7E8F90123456789ABCDEF0123
SHA-1 hash: ${sha1}
keychain: "/Library/Keychains/System.keychain"
version: 512
class: 0x80001000
attributes:
    "alis"<blob>="Portico Development CA"
    "cenc"<uint32>=0x00000003
    "ctyp"<uint32>=0x00000001
    "hpky"<blob>=0x3F1E9C0AA0B1C2D3E4F5061728394A5B6C7D8E9F  "?\\036\\234\\012..."
    "issu"<blob>=0x3059311F301D...
    "labl"<blob>="Portico Development CA"
    "skid"<blob>=0x3F1E9C0AA0B1C2D3E4F5061728394A5B6C7D8E9F
    "snbr"<blob>=0x7A3B...
    "subj"<blob>=0x3059311F301D...
`;
}

describe('parsing security', () => {
  it.each([
    ['success', VERIFIED, { ok: true }],
    ['not trusted', NOT_TRUSTED, { ok: false, reason: 'CSSMERR_TP_NOT_TRUSTED' }],
    ['expired', { code: 1, stdout: '', stderr: 'Cert Verify Result: CSSMERR_TP_CERT_EXPIRED\n' }, { ok: false, reason: 'CSSMERR_TP_CERT_EXPIRED' }],
    ['bad file', { code: 1, stdout: '', stderr: 'Error reading file /nope\n' }, { ok: false, reason: 'Error reading file /nope' }],
  ])('verify-cert: %s', (_n, result, parsed) => expect(parseVerifyCert({ stderr: '', ...result })).toEqual(parsed));

  it('find-certificate -Z: the SHA-1 hashes', () => {
    expect(parseFindCertificate(findOutput('0A1B2C3D4E5F60718293A4B5C6D7E8F901234567') + findOutput('ffffffffffffffffffffffffffffffffffffffff'))).toEqual([
      '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567',
      'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
    ]);
  });
});

describe('macOS keychain store', () => {
  it('installs as an admin trust setting in the System keychain, elevated', async () => {
    const root = await rootAt(FILE);
    const store = macosKeychainStore({ runner: scriptedRunner() });
    expect(store.installCommands(root)).toEqual([
      { cmd: 'security', args: ['add-trusted-cert', '-d', '-r', 'trustRoot', '-k', '/Library/Keychains/System.keychain', FILE], elevate: true },
    ]);
    const sha1 = root.sha1.replaceAll(':', '');
    expect(store.uninstallCommands(root)).toEqual([
      { cmd: 'security', args: ['remove-trusted-cert', '-d', FILE], elevate: true },
      { cmd: 'security', args: ['delete-certificate', '-Z', sha1, '/Library/Keychains/System.keychain'], elevate: true, mayFail: true },
    ]);
  });

  it('install runs exactly those commands, through the runner', async () => {
    const root = await rootAt(FILE);
    const runner = scriptedRunner();
    await macosKeychainStore({ runner }).install(root);
    expect(runner.calls).toEqual([`sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain '${FILE}'`]);
  });

  it('status: trusted when the Security framework verifies the root', async () => {
    const root = await rootAt(FILE);
    const runner = scriptedRunner({ 'security verify-cert': VERIFIED });
    expect((await macosKeychainStore({ runner }).status(root)).state).toBe('trusted');
    expect(runner.calls).toEqual([`security verify-cert -c '${FILE}'`]);
  });

  it('status: tells "in the keychain but not trusted" from "not there"', async () => {
    const root = await rootAt(FILE);
    const sha1 = root.sha1.replaceAll(':', '');
    const inKeychain = scriptedRunner({ 'security verify-cert': NOT_TRUSTED, 'security find-certificate': { stdout: findOutput(sha1) } });
    const status = await macosKeychainStore({ runner: inKeychain }).status(root);
    expect(status).toEqual({
      state: 'not trusted',
      detail: 'in /Library/Keychains/System.keychain but not trusted (CSSMERR_TP_NOT_TRUSTED)',
      fix: 'portico trust --only system',
    });
    expect(inKeychain.calls[1]).toBe("security find-certificate -a -Z -c 'Portico Development CA' /Library/Keychains/System.keychain");
    const absent = scriptedRunner({
      'security verify-cert': NOT_TRUSTED,
      'security find-certificate': { code: 44, stderr: 'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\n' },
    });
    expect((await macosKeychainStore({ runner: absent }).status(root)).detail).toBe('not in /Library/Keychains/System.keychain (CSSMERR_TP_NOT_TRUSTED)');
  });
});
