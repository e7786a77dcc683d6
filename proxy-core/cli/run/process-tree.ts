// Signals for the command's whole process tree (npm → sh → vite → esbuild): a dev server
// left running after Ctrl+C holds its port and confuses the next run.
import { execFileSync } from 'node:child_process';

interface Proc {
  pid: number;
  group: number;
}

/** Every descendant of `root` with its process group, children before their own children. */
export function descendants(root: number): Proc[] {
  let table: string;
  try {
    table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  const children = new Map<number, Proc[]>();
  for (const line of table.split('\n')) {
    const [pid, ppid, group] = line.trim().split(/\s+/).map(Number);
    if (!pid || ppid === undefined || group === undefined || Number.isNaN(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), { pid, group }]);
  }
  const found: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

const send = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
};

/**
 * Sends `signal` to `root` and everything under it. `ownGroup`: the command runs in a
 * process group of its own (no terminal to share), so the group gets it in one call; the
 * tree is walked as well for processes that made groups of their own.
 */
export function signalTree(root: number, signal: NodeJS.Signals, ownGroup: boolean): void {
  if (process.platform === 'win32') {
    // No signals on Windows: taskkill /T ends the tree.
    try {
      execFileSync('taskkill', ['/pid', String(root), '/T', '/F'], { stdio: 'ignore' });
    } catch {
      // gone already
    }
    return;
  }
  // Read the tree before the signal changes it; each process gets the signal once.
  const tree = descendants(root);
  if (ownGroup) send(-root, signal);
  else send(root, signal);
  for (const proc of tree) if (!ownGroup || proc.group !== root) send(proc.pid, signal);
}
