// `portico ui`: the browser UI's address with its token, for a new tab or a lost bookmark.
// `portico serve --control-port` leaves the address in the data directory while it runs.
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path, { resolve } from 'node:path';
import { defaultDataDir } from '../config/index.js';
import { tokenFile } from '../control-server/index.js';
import { parseFlags } from './args.js';
import { CliError, UsageError } from './errors.js';
import { uiHelp } from './help.js';

export const FLAGS = {
  open: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where a running `portico serve` notes its UI address (without the token). */
export const uiAddressFile = (dataDir: string): string => path.join(dataDir, 'ui-address');

/** Called by serve once the control server listens; the returned function removes the note. */
export async function noteUiAddress(dataDir: string, url: string): Promise<() => Promise<void>> {
  const address = new URL(url);
  address.search = '';
  await writeFile(uiAddressFile(dataDir), `${address.href}\n`, { mode: 0o600 });
  return () => rm(uiAddressFile(dataDir), { force: true });
}

export async function ui(argv: readonly string[]): Promise<number> {
  const usage = "run 'portico ui --help'";
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  if (values.help) {
    process.stdout.write(uiHelp());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`ui takes no arguments (got "${positionals[0]}") — ${usage}`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const address = (await readFile(uiAddressFile(dataDir), 'utf8').catch(() => '')).trim();
  if (!address) {
    throw new CliError(`no Portico UI is running for ${dataDir}: start one with 'portico serve --control-port 0' (or open the desktop app)`);
  }
  const token = (await readFile(tokenFile(dataDir), 'utf8').catch(() => '')).trim();
  if (!token) throw new CliError(`cannot read the UI token in ${tokenFile(dataDir)}`);
  const url = new URL(address);
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
