// `portico run [--name NAME] [--force] [--] CMD [ARGS…]`: a dev server reachable by name.
// Finds (or starts) the Portico for the data dir, gives the command a free port and a
// route that lives exactly as long as the command, and exits with its exit code.
// Only the argument parsing is loaded up front: `portico run --help` prints at once, and
// the rest (run/session.ts) loads when there is something to run.
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/paths.js';
import { UsageError } from './errors.js';
import { runHelp } from './help.js';
import { dnsName } from './run/names.js';

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

export async function run(argv: readonly string[]): Promise<number> {
  const options = parseRunArgs(argv);
  if (options === 'help') {
    process.stdout.write(runHelp());
    return 0;
  }
  return (await import('./run/session.js')).runSession(options);
}
