// Linux system anchors: the root goes into the family's anchor folder and the family's
// tool rebuilds the bundle that OpenSSL, curl, Python, Go and friends read. "Trusted"
// means the rebuilt bundle holds it, not merely that our file is in the folder.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { planStore } from './plan-store.js';
import { systemLayout, type DistroFamily } from './linux-distro.js';
import { bundleHolds, rootFileStem } from './root.js';
import type { CommandRunner, TrustRoot, TrustStore } from './types.js';

export interface LinuxSystemOptions {
  runner: CommandRunner;
  family: DistroFamily | undefined;
  /** '/' for the real system; a temp dir in tests. */
  sysroot?: string;
  /** "ID=plan9", for the message when the family is unknown. */
  distroName?: string;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

export function anchorFile(anchorDir: string, root: TrustRoot): string {
  return path.join(anchorDir, `${rootFileStem(root)}.crt`);
}

export function linuxSystemStore(options: LinuxSystemOptions): TrustStore {
  const { runner, family } = options;
  const layout = family ? systemLayout(family, options.sysroot) : undefined;
  const label = `Linux system trust${family ? ` (${family} family)` : ''}`;
  const detect = async () => layout !== undefined && exists(path.dirname(layout.anchorDir));

  return planStore(runner, {
    id: 'system',
    group: 'system',
    label,
    detect,
    installCommands: (root) => {
      if (!layout) return [];
      // install(1) -D makes the folder if needed and sets the mode in one step.
      return [{ cmd: 'install', args: ['-D', '-m', '0644', root.file, anchorFile(layout.anchorDir, root)], elevate: true }, layout.refresh(false)];
    },
    uninstallCommands: (root) => {
      if (!layout) return [];
      // --fresh (where there is one) also drops the hash links to the removed file.
      return [{ cmd: 'rm', args: ['-f', anchorFile(layout.anchorDir, root)], elevate: true }, layout.refresh(true)];
    },
    async status(root: TrustRoot) {
      if (!layout) {
        return {
          state: 'not present',
          detail: `unknown Linux distribution${options.distroName ? ` (${options.distroName})` : ''}`,
          fix: `add ${root.file} to your distribution's CA anchors by hand`,
        };
      }
      if (!(await detect())) return { state: 'not present', detail: `no ${path.dirname(layout.anchorDir)}` };
      const bundle = await readFile(layout.bundle, 'utf8').catch(() => '');
      if (bundleHolds(bundle, root)) return { state: 'trusted', detail: `in ${layout.bundle}` };
      const anchor = anchorFile(layout.anchorDir, root);
      if (await exists(anchor)) {
        return {
          state: 'not trusted',
          detail: `${anchor} is there but ${layout.bundle} was not rebuilt`,
          fix: runner.display(layout.refresh(false)),
        };
      }
      return { state: 'not trusted', detail: `not in ${layout.bundle}`, fix: 'portico trust --only system' };
    },
  });
}
