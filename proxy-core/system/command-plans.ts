// Commands as data, and running them. A command is data first, so the user (or
// `--dry-run`) can read it before anything runs, and a runner decides how to run it — and
// how to elevate, which differs per front door. Used by the trust stores, the hosts-file
// manager and the port helper.

/** One program invocation. `elevate`: it writes where only root / an admin may. */
export interface Command {
  cmd: string;
  args: string[];
  elevate: boolean;
  /** A failure here is expected sometimes (e.g. deleting what is already gone): carry on. */
  mayFail?: boolean;
}

export interface RunResult {
  /** Exit code; 127 when the program does not exist, as a shell would say. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandRunner {
  run(cmd: string, args: readonly string[], options: { elevate: boolean }): Promise<RunResult>;
  /**
   * Runs several elevated commands under ONE elevation (one password dialog), stopping at
   * the first failure. Runners whose elevation is cached (sudo) may leave it out.
   */
  runElevatedBatch?(commands: readonly Command[]): Promise<RunResult>;
  /** What the user will see for `command`: `sudo …` when this runner would add it. */
  display(command: Command): string;
}

// Commands as text (for the user and for elevation helpers that take one shell line) and
// running a plan of them through a runner, one elevation per run of elevated steps.

const SAFE_POSIX = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word as a POSIX shell reads it back unchanged. */
export function quotePosix(word: string): string {
  if (word !== '' && SAFE_POSIX.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A word for cmd.exe: double quotes when it has spaces or specials (our paths never hold `"`). */
export function quoteWindows(word: string): string {
  return word !== '' && /^[A-Za-z0-9_@%+=:,./\\-]+$/.test(word) ? word : `"${word}"`;
}

export type ShellFlavor = 'posix' | 'windows';

export const shellFlavor = (platform: NodeJS.Platform): ShellFlavor => (platform === 'win32' ? 'windows' : 'posix');

export function commandLine(cmd: string, args: readonly string[], flavor: ShellFlavor = 'posix'): string {
  const quote = flavor === 'windows' ? quoteWindows : quotePosix;
  return [cmd, ...args].map(quote).join(' ');
}

/** One shell line running every command in order, stopping at the first real failure. */
export function batchScript(commands: readonly Command[], flavor: ShellFlavor = 'posix'): string {
  const tolerate = flavor === 'windows' ? (line: string) => `(${line} || ver>nul)` : (line: string) => `{ ${line} || true; }`;
  return commands
    .map((c) => {
      const line = commandLine(c.cmd, c.args, flavor);
      return c.mayFail ? tolerate(line) : line;
    })
    .join(' && ');
}

const ok: RunResult = { code: 0, stdout: '', stderr: '' };

function merge(a: RunResult, b: RunResult): RunResult {
  return { code: b.code, stdout: a.stdout + b.stdout, stderr: a.stderr + b.stderr };
}

/**
 * Runs `commands` in order and stops at the first failure that is not `mayFail`.
 * Consecutive elevated commands go to the runner as one batch when it can batch, so the
 * user sees one password prompt per change rather than one per command.
 */
export async function runPlan(runner: CommandRunner, commands: readonly Command[]): Promise<RunResult> {
  let result = ok;
  for (let i = 0; i < commands.length;) {
    const first = commands[i]!;
    if (first.elevate && runner.runElevatedBatch) {
      let end = i;
      while (end < commands.length && commands[end]!.elevate) end++;
      result = merge(result, await runner.runElevatedBatch(commands.slice(i, end)));
      if (result.code !== 0) return result;
      i = end;
      continue;
    }
    const step = await runner.run(first.cmd, first.args, { elevate: first.elevate });
    result = merge(result, first.mayFail ? { ...step, code: 0 } : step);
    if (result.code !== 0) return result;
    i++;
  }
  return result;
}

/** A failed command's own words in one line: stderr's last line, else stdout's, else the code. */
export function failureLine(result: RunResult): string {
  const last = (text: string) =>
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1);
  return last(result.stderr) ?? last(result.stdout) ?? `exit code ${result.code}`;
}
