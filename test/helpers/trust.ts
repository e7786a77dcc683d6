// Trust-store test helpers: a real root in a temp dir, and a scripted command runner.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commandLine } from '../../proxy-core/system/command-plans.js';
import { trustRootFromPem } from '../../proxy-core/trust/root.js';
import type { Command, CommandRunner, RunResult, TrustRoot } from '../../proxy-core/trust/types.js';
import { createRootCa, type RootCa } from '../../proxy-core/tls/index.js';

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `portico-${prefix}-`));
}

/** A fresh name-constrained root written to <dir>/root.pem. */
export async function makeRoot(dir: string, suffixes = ['localhost', 'test']): Promise<{ ca: RootCa; root: TrustRoot }> {
  const ca = await createRootCa(suffixes);
  const file = path.join(dir, 'root.pem');
  await writeFile(file, ca.certPem);
  return { ca, root: trustRootFromPem(file, ca.certPem) };
}

/** The same root facts without a file, for command-line tests. */
export async function rootAt(file: string): Promise<TrustRoot> {
  return trustRootFromPem(file, (await createRootCa(['localhost', 'test'])).certPem);
}

export type Answer = Partial<RunResult> | ((args: readonly string[]) => Partial<RunResult>);

/**
 * A runner that answers by program name (first match of "cmd" or "cmd arg0") and records
 * every call as "[sudo ]cmd args…".
 */
export function scriptedRunner(answers: Record<string, Answer> = {}): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(cmd, args, { elevate }) {
      calls.push(`${elevate ? 'sudo ' : ''}${commandLine(cmd, args)}`);
      const answer = answers[`${cmd} ${args[0] ?? ''}`] ?? answers[cmd] ?? {};
      const a = typeof answer === 'function' ? answer(args) : answer;
      return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
    },
    display: (c: Command) => `${c.elevate ? 'sudo ' : ''}${commandLine(c.cmd, c.args)}`,
  };
}

/**
 * A Debian-shaped system tree under `dir` — the folders update-ca-certificates works on,
 * an os-release, and one pre-existing "distribution" CA — so the real command can run
 * against it instead of this machine's /etc.
 */
export async function debianTree(dir: string, distroCaPem: string): Promise<void> {
  const at = (p: string) => path.join(dir, p);
  for (const d of ['usr/share/ca-certificates/distro', 'usr/local/share/ca-certificates', 'etc/ssl/certs', 'etc/ca-certificates/update.d']) {
    await mkdir(at(d), { recursive: true });
  }
  await writeFile(at('usr/share/ca-certificates/distro/Distro_Root.crt'), distroCaPem);
  await writeFile(at('etc/ca-certificates.conf'), '# test tree\ndistro/Distro_Root.crt\n');
  await writeFile(at('etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n');
}

/** update-ca-certificates lives in /usr/sbin, which a non-login PATH may lack. */
export function withSbinOnPath(): void {
  const parts = (process.env['PATH'] ?? '').split(':');
  for (const dir of ['/usr/sbin', '/sbin']) if (!parts.includes(dir)) parts.push(dir);
  process.env['PATH'] = parts.join(':');
}
