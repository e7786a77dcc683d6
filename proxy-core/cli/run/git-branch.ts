// The branch of a linked git worktree, when it is not the repository's default branch:
// `portico run` puts it in front of the host so each checkout gets its own.
//
// Read from the files git keeps rather than by running git: `portico run` must start its
// command at once, and each git process costs tens of milliseconds (more on a busy machine).
// A linked worktree has a `.git` *file* ("gitdir: <repo>/.git/worktrees/<name>"); the main
// checkout has a `.git` folder and never gets a prefix.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The `.git` entry of the checkout holding `cwd`, or undefined outside git. */
function findDotGit(cwd: string): { path: string; isFile: boolean } | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    try {
      const stat = statSync(join(dir, '.git'));
      return { path: join(dir, '.git'), isFile: stat.isFile() };
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

/** Undefined in the main checkout, outside git, on a detached HEAD, or on the default branch. */
export function worktreeBranch(cwd: string): string | undefined {
  const dotGit = findDotGit(cwd);
  if (!dotGit?.isFile) return undefined;
  const gitDir = /^gitdir: (.+)$/m.exec(read(dotGit.path) ?? '')?.[1];
  if (!gitDir) return undefined;
  const worktreeDir = resolve(dirname(dotGit.path), gitDir);
  const branch = /^ref: refs\/heads\/(.+)$/.exec(read(join(worktreeDir, 'HEAD')) ?? '')?.[1];
  if (!branch) return undefined; // detached HEAD
  const commonDir = resolve(worktreeDir, read(join(worktreeDir, 'commondir')) ?? '../..');
  return defaultBranches(commonDir).includes(branch) ? undefined : branch;
}

/** origin's HEAD when known, else init.defaultBranch in the repository's config, else the usual two. */
function defaultBranches(commonDir: string): string[] {
  const remote = /^ref: refs\/remotes\/origin\/(.+)$/.exec(read(join(commonDir, 'refs', 'remotes', 'origin', 'HEAD')) ?? '')?.[1];
  if (remote) return [remote];
  const configured = /^\s*defaultBranch\s*=\s*(\S+)/m.exec(read(join(commonDir, 'config')) ?? '')?.[1];
  return configured ? [configured] : ['main', 'master'];
}
