// The branch of a linked git worktree, when it is not the repository's default branch:
// `portico run` puts it in front of the host so each checkout gets its own.
import { execFileSync } from 'node:child_process';

const git = (cwd: string, args: string[]): string | undefined => {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
  } catch {
    return undefined; // not a repository, no git, or no such ref
  }
};

/** Undefined in the main checkout, outside git, on a detached HEAD, or on the default branch. */
export function worktreeBranch(cwd: string): string | undefined {
  const out = git(cwd, ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir', '--abbrev-ref', 'HEAD']);
  const [gitDir, commonDir, branch] = out?.split('\n') ?? [];
  if (!gitDir || !commonDir || !branch || gitDir === commonDir || branch === 'HEAD') return undefined;
  return defaultBranches(cwd).includes(branch) ? undefined : branch;
}

/** origin's HEAD when known, else init.defaultBranch, else the usual two. */
function defaultBranches(cwd: string): string[] {
  const remote = git(cwd, ['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD']);
  if (remote) return [remote.replace(/^origin\//, '')];
  const configured = git(cwd, ['config', 'init.defaultBranch']);
  return configured ? [configured] : ['main', 'master'];
}
