// `portico ui`: the browser UI's address with its token, for a new tab or a lost bookmark.
// The running engine records where its control server listens (control.json); the token
// is its own file beside it.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defaultDataDir } from '../config/paths.js';
import { readControlAddress } from '../control-server/address-file.js';
import { parseFlags } from './args.js';
import { CliError, UsageError } from './errors.js';
import { uiHelp } from './help.js';

export const FLAGS = {
  open: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function ui(argv: readonly string[]): Promise<number> {
  const usage = "run 'portico ui --help'";
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  if (values.help) {
    process.stdout.write(uiHelp());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`ui takes no arguments (got "${positionals[0]}") — ${usage}`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const address = readControlAddress(dataDir);
  if (!address) throw new CliError(`no Portico is running for ${dataDir}: start one with 'portico serve' (or open the desktop app)`);
  const tokenFile = join(dataDir, 'control-token');
  const token = (await readFile(tokenFile, 'utf8').catch(() => '')).trim();
  if (!token) throw new CliError(`cannot read the UI token in ${tokenFile}`);
  const url = new URL(`http://127.0.0.1:${address.port}/`);
  url.searchParams.set('token', token);
  process.stdout.write(`${url.href}\n`);
  if (values.open) openInBrowser(url.href);
  return 0;
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', (error) => process.stderr.write(`portico: could not open a browser (${error.message}); open the address above\n`));
  child.unref();
}
