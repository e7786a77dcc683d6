// Who used the CPU during a UI bench phase: the engine (portico serve), Chromium's page
// (its renderer processes), the rest of Chromium (browser, GPU, network), this process
// (autocannon and Playwright) and everything else on the machine. On two cores these share
// the CPU, so a page that misses its frames may simply not have been given the CPU.
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds, machineBusySeconds } from './procs.js';

/** Our descendants (pid → parent) from /proc; empty where /proc is missing. */
function children() {
  const parent = new Map();
  let entries;
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return parent;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  return parent;
}

function groups(enginePid) {
  const parent = children();
  const mine = (pid) => {
    for (let at = parent.get(pid); at !== undefined && at > 1; at = parent.get(at)) if (at === process.pid) return true;
    return false;
  };
  const split = { engine: [enginePid].filter(Boolean), page: [], chromium: [] };
  for (const pid of parent.keys()) {
    if (pid === enginePid || !mine(pid)) continue;
    let cmd;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('chrom')) continue;
    (cmd.includes('--type=renderer') ? split.page : split.chromium).push(pid);
  }
  return split;
}

/** Above this share of a core used by other processes, a phase's figures are no verdict. */
const DISTURBED = 0.1;

/**
 * Starts counting; the returned function gives each group's share of one core since, as a
 * line, and whether processes not ours used enough CPU meanwhile to disturb the phase.
 */
export function watchCpu(enginePid) {
  const pids = groups(enginePid);
  const read = () => {
    const sum = (list) => list.reduce((s, pid) => s + (cpuSeconds(pid) || 0), 0);
    const self = process.cpuUsage();
    return {
      engine: sum(pids.engine),
      page: sum(pids.page),
      chromium: sum(pids.chromium),
      bench: (self.user + self.system) / 1e6,
      busy: machineBusySeconds(),
      at: performance.now(),
    };
  };
  const start = read();
  return () => {
    const end = read();
    const seconds = (end.at - start.at) / 1000;
    const share = (key) => (end[key] - start[key]) / seconds;
    const known = share('engine') + share('page') + share('chromium') + share('bench');
    const pct = (x) => `${Math.round(x * 100)}%`;
    const others = Math.max(0, share('busy') - known);
    const disturbed = others > DISTURBED;
    const line =
      `cpu (of one core): engine ${pct(share('engine'))}, page ${pct(share('page'))}, chromium ${pct(share('chromium'))}, ` +
      `bench+autocannon ${pct(share('bench'))}, others ${pct(others)}` +
      (disturbed ? ` — DISTURBED (other processes above ${pct(DISTURBED)} of a core)` : '');
    return { line, disturbed };
  };
}
