// The body of `portico run` once its arguments are read: find (or start) the Portico for
// the data dir, then run each app with its route, forwarding signals to their trees.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connectControl, type ControlConnection } from '../control-client.js';
import { UsageError } from '../errors.js';
import type { RunOptions } from '../run.js';
import { checkHostFree, runApp, type AppExit } from './app.js';
import { serveLogFile, startBackgroundServe } from './background-serve.js';
import { worktreeBranch } from './git-branch.js';
import { hostFor } from './names.js';
import { projectApps, projectDevCommand, projectName, readProject } from './project.js';
import { signalTree } from './process-tree.js';

const USAGE = "run 'portico run --help'";

/** The Portico for the data dir, started in the background when none runs. */
async function engineFor(dataDir: string): Promise<ControlConnection> {
  const running = await connectControl(dataDir);
  if (running) return running;
  process.stderr.write(
    `portico: no Portico running for ${dataDir}; starting 'portico serve' in the background (log: ${serveLogFile(dataDir)}; 'portico stop' stops it)\n`,
  );
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

/** Runs the command (or the project's apps) with their routes; resolves with the exit code. */
export async function runSession(options: RunOptions): Promise<number> {
  const specs = appSpecs(options);
  const connection = await engineFor(options.dataDir);
  try {
    for (const spec of specs) await checkHostFree(connection, spec.host, options.force);
    const { status } = connection;
    const listeners = { http: status.http.port, https: status.https?.port };
    // The root the engine signs with (tls/root-ca.ts keeps it there).
    const caFile = join(status.dataDir, 'ca', 'root.pem');

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
          caFile,
          ownGroup,
          started: (child) => children.push(child),
          stopRequested: () => forward('SIGTERM'),
        }),
      ),
    );
    const failed = exits.find((exit) => exit.code !== 0) ?? exits[0]!;
    return failed.code ?? (failed.signal ? (SIGNAL_CODES[failed.signal] ?? 1) : 1);
  } finally {
    connection.close();
  }
}
