// Command runners. Elevation is theirs alone: the CLI prefixes sudo (or pkexec) when not
// already root; the desktop app asks through @vscode/sudo-prompt (a native password
// dialog), loaded lazily so nothing outside the app ever loads it.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { batchScript, commandLine, shellFlavor } from './command-plans.js';
import type { Command, CommandRunner, RunResult } from './command-plans.js';

/** Runs a program without a shell, collecting its output; a missing program is code 127. */
export function spawnCommand(
  cmd: string,
  args: readonly string[],
  options: { stdin?: 'inherit' | 'ignore'; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(cmd, args, { stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT';
      resolve({ code: missing ? 127 : 1, stdout, stderr: stderr + (missing ? `${cmd}: command not found\n` : `${error.message}\n`) });
    });
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Is `cmd` an executable on PATH? (No shell `which`: it is not everywhere.) */
export function onPath(cmd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      try {
        accessSync(path.join(dir, cmd + ext), constants.X_OK);
        return true;
      } catch {
        // not here: keep looking
      }
    }
  }
  return false;
}

export type Elevation = 'none' | 'sudo' | 'pkexec' | 'unavailable';

export interface ElevationFacts {
  platform: NodeJS.Platform;
  /** Effective uid; undefined on Windows. */
  uid: number | undefined;
  has: (cmd: string) => boolean;
  /** A terminal to type a sudo password into. */
  interactive: boolean;
}

/**
 * How the CLI elevates: not at all as root; sudo where a terminal can take the password
 * (or sudo is all there is); pkexec for a graphical prompt when there is no terminal.
 * Windows has no sudo to lean on: the user runs an elevated terminal instead.
 */
export function cliElevation(facts: ElevationFacts): Elevation {
  if (facts.platform === 'win32') return 'unavailable';
  if (facts.uid === 0) return 'none';
  const sudo = facts.has('sudo');
  const pkexec = facts.has('pkexec');
  if (sudo && (facts.interactive || !pkexec)) return 'sudo';
  if (pkexec) return 'pkexec';
  return 'unavailable';
}

const ELEVATION_MISSING: RunResult = {
  code: 126,
  stdout: '',
  stderr: 'this needs administrator rights: run it again from a terminal opened as root (or as Administrator on Windows)\n',
};

/** The runner for `portico trust` and friends in a terminal. */
export function cliRunner(elevation: Elevation = defaultCliElevation()): CommandRunner {
  const flavor = shellFlavor(process.platform);
  const runner: CommandRunner = {
    run(cmd, args, { elevate }) {
      if (!elevate || elevation === 'none') return spawnCommand(cmd, args);
      if (elevation === 'unavailable') return Promise.resolve(ELEVATION_MISSING);
      // stdin stays the terminal so sudo can ask for the password there.
      return spawnCommand(elevation, [cmd, ...args], { stdin: 'inherit' });
    },
    display: (c) => (c.elevate && (elevation === 'sudo' || elevation === 'pkexec') ? `${elevation} ` : '') + commandLine(c.cmd, c.args, flavor),
  };
  // pkexec asks every time; sudo remembers for a few minutes, so only pkexec batches.
  if (elevation === 'pkexec') {
    runner.runElevatedBatch = (commands) => spawnCommand('pkexec', ['sh', '-c', batchScript(commands)], { stdin: 'inherit' });
  }
  return runner;
}

export function defaultCliElevation(): Elevation {
  return cliElevation({
    platform: process.platform,
    uid: process.getuid?.(),
    has: (cmd) => onPath(cmd),
    interactive: Boolean(process.stdin.isTTY),
  });
}

interface SudoPrompt {
  exec(cmd: string, options: { name?: string }, callback: (error?: Error, stdout?: string | Buffer, stderr?: string | Buffer) => void): void;
}

/**
 * The desktop app's runner: elevated work goes through one native password dialog per
 * batch (@vscode/sudo-prompt: osascript on macOS, pkexec/kdesudo on Linux, UAC on Windows).
 */
export function sudoPromptRunner(options: { name?: string; load?: () => Promise<SudoPrompt> } = {}): CommandRunner {
  const flavor = shellFlavor(process.platform);
  const load = options.load ?? (async () => (await import('@vscode/sudo-prompt')) as unknown as SudoPrompt);
  const elevated = async (line: string): Promise<RunResult> => {
    const sudo = await load();
    return new Promise((resolve) => {
      sudo.exec(line, { name: options.name ?? 'Portico' }, (error, stdout, stderr) => {
        const out = String(stdout ?? '');
        const err = String(stderr ?? '');
        resolve(error ? { code: 1, stdout: out, stderr: err || `${error.message}\n` } : { code: 0, stdout: out, stderr: err });
      });
    });
  };
  return {
    run: (cmd, args, { elevate }) => (elevate ? elevated(commandLine(cmd, args, flavor)) : spawnCommand(cmd, args)),
    runElevatedBatch: (commands: readonly Command[]) => elevated(batchScript(commands, flavor)),
    display: (c) => commandLine(c.cmd, c.args, flavor),
  };
}
