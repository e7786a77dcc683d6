// `portico run [--name NAME] [--force] [--] CMD [ARGS…]`: a dev server reachable by name.
// Finds (or starts) the Portico for the data dir, gives the command a free port and a
// route that lives exactly as long as the command, and exits with its exit code.
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/paths.js';
import { connectControl, type ControlConnection } from './control-client.js';
import { UsageError } from './errors.js';
import { runHelp } from './help.js';
import { checkHostFree, runApp, type AppExit } from './run/app.js';
import { serveLogFile, startBackgroundServe } from './run/background-serve.js';
import { worktreeBranch } from './run/git-branch.js';
import { dnsName, hostFor } from './run/names.js';
import { projectApps, projectDevCommand, projectName, readProject } from './run/project.js';
import { signalTree } from './run/process-tree.js';

export interface RunOptions {
  name?: string;
  force: boolean;
  dataDir: string;
  command: string[];
}

const USAGE = "run 'portico run --help'";

/** Our flags come first; the first other word (or `--`) starts the command, whose flags are its own. */
export function parseRunArgs(argv: readonly string[]): RunOptions | 'help' {
  const options: RunOptions = { force: false, dataDir: resolve(defaultDataDir()), command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? [arg.split('=')[0]!, arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg, undefined];
    const value = () => {
      const given = inline ?? argv[++i];
      if (given === undefined || given === '') throw new UsageError(`${flag} needs a value — ${USAGE}`);
      return given;
    };
    if (arg === '--') {
      options.command = argv.slice(i + 1);
      break;
    }
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--name') options.name = value();
    else if (flag === '--data-dir') options.dataDir = resolve(value());
    else if (flag === '--force') options.force = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} (put the command's own options after it, or after --) — ${USAGE}`);
    else {
      options.command = argv.slice(i);
      break;
    }
  }
  if (options.name !== undefined && dnsName(options.name) === '') {
    throw new UsageError(`--name "${options.name}" has no letters or digits to make a host name of — ${USAGE}`);
  }
  return options;
}

/** The Portico for the data dir, started in the background when none runs. */
async function engineFor(dataDir: string): Promise<ControlConnection> {
  const running = await connectControl(dataDir);
  if (running) return running;
  process.stderr.write(`portico: no Portico running for ${dataDir}; starting 'portico serve' in the background (log: ${serveLogFile(dataDir)}; 'portico stop' stops it)\n`);
  return startBackgroundServe(dataDir);
}

interface AppSpec {
  cwd: string;
  host: string;
  argv: string[];
  packageJson: unknown;
  prefix?: string;
}

function appSpecs(options: RunOptions): AppSpec[] {
  const cwd = process.cwd();
  const root = readProject(cwd);
  const branch = worktreeBranch(cwd);
  const apps = options.command.length === 0 ? projectApps(root) : [];
  if (apps.length === 0) {
    const argv = options.command.length > 0 ? options.command : projectDevCommand(root);
    return [{ cwd, host: hostFor(projectName(root, options.name).name, branch), argv, packageJson: root.packageJson }];
  }
  if (options.name !== undefined) throw new UsageError(`--name names one app; portico.json lists ${apps.length}: set each one's "name" there — ${USAGE}`);
  return apps.map((app) => {
    const project = readProject(app.dir);
    const host = hostFor(projectName(project, app.name).name, branch);
    return { cwd: app.dir, host, argv: projectDevCommand(project), packageJson: project.packageJson, prefix: `[${host.replace(/\.localhost$/, '')}] ` };
  });
}

/** Exit code of a process ended by a signal, as shells report it. */
const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGKILL: 137, SIGTERM: 143 };

export async function run(argv: readonly string[]): Promise<number> {
  const options = parseRunArgs(argv);
  if (options === 'help') {
    process.stdout.write(runHelp());
    return 0;
  }
  const specs = appSpecs(options);
  const connection = await engineFor(options.dataDir);
  try {
    for (const spec of specs) await checkHostFree(connection, spec.host, options.force);
    const [status, ca] = await Promise.all([connection.call('status'), connection.call('ca.info')]);
    const listeners = { http: status.http.port, https: status.https?.port };

    // With a terminal, the command shares our process group so it can read the keyboard,
    // and Ctrl+C reaches the whole group from the terminal itself. Without one (a script,
    // an IDE, a supervisor), it gets a group of its own that our signals reach at once.
    const ownGroup = !process.stdin.isTTY;
    const children: ChildProcess[] = [];
    let stops = 0;
    const forward = (signal: NodeJS.Signals) => {
      stops++;
      const hard = stops > 1;
      if (hard) process.stderr.write(`\nportico: ${signal} again: killing the command\n`);
      for (const child of children) {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
        // The terminal already sent Ctrl+C to everyone in our group.
        if (!hard && signal === 'SIGINT' && !ownGroup) continue;
        signalTree(child.pid, hard ? 'SIGKILL' : signal, ownGroup);
      }
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);

    const exits: AppExit[] = await Promise.all(
      specs.map((spec) =>
        runApp({
          connection,
          ...spec,
          force: options.force,
          listeners,
          caFile: ca.files.cert,
          ownGroup,
          started: (child) => children.push(child),
        }),
      ),
    );
    const failed = exits.find((exit) => exit.code !== 0) ?? exits[0]!;
    return failed.code ?? (failed.signal ? (SIGNAL_CODES[failed.signal] ?? 1) : 1);
  } finally {
    connection.close();
  }
}

