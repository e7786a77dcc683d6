// Windows: the current user's Root store. No admin needed — Windows itself shows a
// confirmation dialog naming the certificate when one is added there.
import { planStore } from './plan-store.js';
import type { CommandRunner, RunResult, StoreStatus, TrustRoot, TrustStore } from './types.js';

export interface VerifyStoreResult {
  found: boolean;
  /** SHA-1 thumbprints listed ("Cert Hash(sha1): …"), upper case, no separators. */
  thumbprints: string[];
  /** certutil's own complaint when it failed, e.g. "CRYPT_E_NOT_FOUND". */
  error?: string;
}

/** Parses `certutil -user -verifystore Root <id>` (English output; the hash line is stable across locales). */
export function parseVerifyStore(result: RunResult): VerifyStoreResult {
  const text = result.stdout + result.stderr;
  const thumbprints = [...text.matchAll(/Cert Hash\(sha1\):\s*([0-9a-fA-F ]{40,59})/g)].map((m) => m[1]!.replaceAll(' ', '').toUpperCase());
  const error = /FAILED:\s*0x[0-9a-f]+\s*\(-?\d+\s+([A-Z_]+)\)/i.exec(text)?.[1];
  return { found: result.code === 0 && thumbprints.length > 0, thumbprints, ...(error !== undefined && { error }) };
}

const sha1Hex = (root: TrustRoot) => root.sha1.replaceAll(':', '').toUpperCase();

export function windowsRootStore(options: { runner: CommandRunner }): TrustStore {
  const { runner } = options;

  async function status(root: TrustRoot): Promise<StoreStatus> {
    const parsed = parseVerifyStore(await runner.run('certutil', ['-user', '-verifystore', 'Root', root.serial], { elevate: false }));
    if (parsed.found && parsed.thumbprints.includes(sha1Hex(root))) return { state: 'trusted', detail: "in the current user's Root store" };
    return {
      state: 'not trusted',
      detail: parsed.error === 'CRYPT_E_NOT_FOUND' || !parsed.found ? "not in the current user's Root store" : `certutil: ${parsed.error}`,
      fix: 'portico trust --only system',
    };
  }

  return planStore(runner, {
    id: 'system',
    group: 'system',
    label: 'Windows certificate store (current user, Root)',
    detect: async () => true,
    status,
    installCommands: (root) => [{ cmd: 'certutil', args: ['-user', '-addstore', 'Root', root.file], elevate: false }],
    uninstallCommands: (root) => [{ cmd: 'certutil', args: ['-user', '-delstore', 'Root', root.serial], elevate: false }],
  });
}
