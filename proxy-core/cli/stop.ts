// `portico stop`: ends the `portico serve` running for the data dir (the one `portico
// run` started in the background, or one started by hand).
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/paths.js';
import { readControlAddress } from '../control-server/address-file.js';
import { alive } from './control-client.js';
import { CliError, UsageError } from './errors.js';
import { stopHelp } from './help.js';

/** How long a serve gets to finish its requests in flight (it allows itself 5 s). */
const STOP_TIMEOUT_MS = 10_000;

export async function stop(argv: readonly string[]): Promise<number> {
  let dataDir = resolve(defaultDataDir());
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(stopHelp());
      return 0;
    }
    if (arg === '--data-dir' && argv[i + 1]) dataDir = resolve(argv[++i]!);
    else if (arg.startsWith('--data-dir=')) dataDir = resolve(arg.slice('--data-dir='.length));
    else throw new UsageError(`unknown argument ${arg} — run 'portico stop --help'`);
  }
  const address = readControlAddress(dataDir);
  if (!address || !alive(address.pid)) {
    process.stdout.write(`No Portico is running for ${dataDir}.\n`);
    return 0;
  }
  if (address.kind === 'app') throw new CliError(`the Portico desktop app (pid ${address.pid}) runs this data dir: quit it from its menu`);
  process.kill(address.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(address.pid)) {
    if (Date.now() > deadline) throw new CliError(`Portico (pid ${address.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
    await new Promise((done) => setTimeout(done, 50));
  }
  process.stdout.write(`Stopped Portico (pid ${address.pid}).\n`);
  return 0;
}
