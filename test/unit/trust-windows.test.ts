// Windows current-user Root store: exact certutil lines, and reading its answers.
import { describe, expect, it } from 'vitest';
import { parseVerifyStore, windowsRootStore } from '../../proxy-core/trust/windows.js';
import { rootAt, scriptedRunner } from '../helpers/trust.js';

const FILE = 'C:\\Users\\Jane Doe\\AppData\\Local\\Portico\\Data\\ca\\root.pem';

function found(serial: string, sha1: string): string {
  return `Root "Trusted Root Certification Authorities"
================ Certificate 0 ================
Serial Number: ${serial.toLowerCase()}
Issuer: CN=Portico Development CA, O=Portico, OU=jane@LAPTOP-7Q
 NotBefore: 3/1/2025 10:15 AM
 NotAfter: 3/1/2035 10:16 AM
Subject: CN=Portico Development CA, O=Portico, OU=jane@LAPTOP-7Q
Signature matches Public Key
Root Certificate: Subject matches Issuer
Cert Hash(sha1): ${sha1.toLowerCase()}
  No key provider information
Cannot find the certificate and private key for decryption.
Verified Issuance Policies: All
Verified Application Policies: All
Certificate is valid
CertUtil: -verifystore command completed successfully.
`;
}

const NOT_FOUND = `Root "Trusted Root Certification Authorities"
CertUtil: -verifystore command FAILED: 0x80092004 (-2146885628 CRYPT_E_NOT_FOUND)
CertUtil: Cannot find object or property.
`;

describe('parseVerifyStore', () => {
  it('reads the thumbprint of the certificate found', () => {
    expect(parseVerifyStore({ code: 0, stdout: found('7A0B', '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567'), stderr: '' })).toEqual({
      found: true,
      thumbprints: ['0A1B2C3D4E5F60718293A4B5C6D7E8F901234567'],
    });
  });

  it('reads the spaced thumbprint older Windows prints', () => {
    const old = found('7A0B', 'x').replace('Cert Hash(sha1): x', 'Cert Hash(sha1): 0a 1b 2c 3d 4e 5f 60 71 82 93 a4 b5 c6 d7 e8 f9 01 23 45 67');
    expect(parseVerifyStore({ code: 0, stdout: old, stderr: '' }).thumbprints).toEqual(['0A1B2C3D4E5F60718293A4B5C6D7E8F901234567']);
  });

  it('reads "not found"', () => {
    expect(parseVerifyStore({ code: -2146885628, stdout: NOT_FOUND, stderr: '' })).toEqual({ found: false, thumbprints: [], error: 'CRYPT_E_NOT_FOUND' });
  });
});

describe('Windows Root store', () => {
  it('adds to and deletes from the user store, without elevation', async () => {
    const root = await rootAt(FILE);
    const store = windowsRootStore({ runner: scriptedRunner() });
    expect(store.installCommands(root)).toEqual([{ cmd: 'certutil', args: ['-user', '-addstore', 'Root', FILE], elevate: false }]);
    expect(store.uninstallCommands(root)).toEqual([{ cmd: 'certutil', args: ['-user', '-delstore', 'Root', root.serial], elevate: false }]);
  });

  it("status: trusted only when the thumbprint found is this root's", async () => {
    const root = await rootAt(FILE);
    const sha1 = root.sha1.replaceAll(':', '');
    const runner = scriptedRunner({ certutil: { stdout: found(root.serial, sha1) } });
    expect((await windowsRootStore({ runner }).status(root)).state).toBe('trusted');
    expect(runner.calls).toEqual([`certutil -user -verifystore Root ${root.serial}`]);

    const other = scriptedRunner({ certutil: { stdout: found(root.serial, 'ffffffffffffffffffffffffffffffffffffffff') } });
    expect((await windowsRootStore({ runner: other }).status(root)).state).toBe('not trusted');
  });

  it('status: not trusted when the store does not have it', async () => {
    const root = await rootAt(FILE);
    const runner = scriptedRunner({ certutil: { code: 1, stdout: NOT_FOUND } });
    expect(await windowsRootStore({ runner }).status(root)).toEqual({
      state: 'not trusted',
      detail: "not in the current user's Root store",
      fix: 'portico trust --only system',
    });
  });
});
