// macOS: the System keychain, as an admin trust setting ("Always Trust" for every user).
// Status asks the Security framework itself (`security verify-cert`) rather than looking
// for the certificate: a root can sit in the keychain without being trusted.
import { planStore } from './plan-store.js';
import type { CommandRunner, RunResult, StoreStatus, TrustRoot, TrustStore } from './types.js';

export const SYSTEM_KEYCHAIN = '/Library/Keychains/System.keychain';

/** `security verify-cert` prints "...certificate verification successful." or "Cert Verify Result: <why>". */
export function parseVerifyCert(result: RunResult): { ok: boolean; reason?: string } {
  const text = result.stdout + result.stderr;
  if (result.code === 0 && /certificate verification successful/i.test(text)) return { ok: true };
  const reason = /Cert Verify Result:\s*(.+)/.exec(text)?.[1]?.trim();
  return reason ? { ok: false, reason } : { ok: false, reason: text.trim().split('\n')[0] || `exit code ${result.code}` };
}

/** SHA-1 hashes from `security find-certificate -a -Z`, upper case without separators. */
export function parseFindCertificate(output: string): string[] {
  return [...output.matchAll(/^SHA-1 hash:\s*([0-9A-Fa-f]{40})\s*$/gm)].map((m) => m[1]!.toUpperCase());
}

const sha1Hex = (root: TrustRoot) => root.sha1.replaceAll(':', '').toUpperCase();

export function macosKeychainStore(options: { runner: CommandRunner; keychain?: string }): TrustStore {
  const { runner } = options;
  const keychain = options.keychain ?? SYSTEM_KEYCHAIN;

  async function status(root: TrustRoot): Promise<StoreStatus> {
    const verified = parseVerifyCert(await runner.run('security', ['verify-cert', '-c', root.file], { elevate: false }));
    if (verified.ok) return { state: 'trusted', detail: `trusted by the Security framework (${keychain})` };
    const found = await runner.run('security', ['find-certificate', '-a', '-Z', '-c', root.commonName, keychain], { elevate: false });
    const inKeychain = parseFindCertificate(found.stdout).includes(sha1Hex(root));
    return {
      state: 'not trusted',
      detail: inKeychain ? `in ${keychain} but not trusted (${verified.reason})` : `not in ${keychain} (${verified.reason})`,
      fix: 'portico trust --only system',
    };
  }

  return planStore(runner, {
    id: 'system',
    group: 'system',
    label: 'macOS System keychain',
    detect: async () => true,
    status,
    installCommands: (root) => [{ cmd: 'security', args: ['add-trusted-cert', '-d', '-r', 'trustRoot', '-k', keychain, root.file], elevate: true }],
    uninstallCommands: (root) => [
      { cmd: 'security', args: ['remove-trusted-cert', '-d', root.file], elevate: true },
      // remove-trusted-cert drops the trust setting only; this takes the certificate out too.
      { cmd: 'security', args: ['delete-certificate', '-Z', sha1Hex(root), keychain], elevate: true, mayFail: true },
    ],
  });
}
