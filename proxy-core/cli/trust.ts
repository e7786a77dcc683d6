// `portico trust` and `portico untrust`: put the root CA into (or take it out of) every
// trust store found — or those `--only` names — showing each command before it runs.
// `--dry-run` shows them and runs nothing that changes anything.
import { readdir } from 'node:fs/promises';
import path, { resolve } from 'node:path';
import type { Config } from '../contract/index.js';
import { ConfigError, configPathIn, defaultDataDir, loadConfig } from '../config/index.js';
import { caFiles, loadOrCreateRootCa, type RootCa } from '../tls/index.js';
import {
  cliRunner,
  defaultTrustEnvironment,
  failureLine,
  nodeExtraCaLine,
  readTrustRoot,
  selectStores,
  trustStores,
  type CommandRunner,
  type TrustEnvironment,
  type TrustRoot,
  type TrustStore,
} from '../trust/index.js';
import { parseFlags } from './args.js';
import { CliError, UsageError } from './errors.js';
import { trustHelp } from './help.js';

export const FLAGS = {
  only: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A browser with a profile that has never run reads the trust stores as they are now. */
export const FRESH_PROFILE_COMMAND = 'chromium --user-data-dir="$(mktemp -d)" https://your-app.localhost/';

export interface LoadedRoot {
  dataDir: string;
  config: Config;
  ca: RootCa;
  root: TrustRoot;
}

/** Data dir, config and root CA — created on first use, as `ca` and `serve` would. */
export async function loadRoot(values: { 'data-dir'?: string | undefined; config?: string | undefined }): Promise<LoadedRoot> {
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const configFile = values.config !== undefined ? resolve(values.config) : configPathIn(dataDir);
  const config = await loadConfig(configFile).catch((error: unknown) => {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  });
  const { ca, created } = await loadOrCreateRootCa(dataDir, config.ca.suffixes);
  if (created) process.stderr.write(`portico: created a new root CA in ${dataDir} (${created})\n`);
  return { dataDir, config, ca, root: await readTrustRoot(caFiles(dataDir).cert) };
}

/** Roots made before a suffix change: untrust removes them too. */
async function retiredRoots(dataDir: string): Promise<TrustRoot[]> {
  const dir = caFiles(dataDir).retired;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.pem')).sort();
  return Promise.all(files.map((f) => readTrustRoot(path.join(dir, f))));
}

/** `--only a,b --only c` → [a, b, c]; unknown words are a usage error naming the choices. */
function chooseStores(stores: TrustStore[], only: readonly string[], usage: string): TrustStore[] {
  const words = only.flatMap((w) => w.split(',')).map((w) => w.trim()).filter(Boolean);
  const { selected, unknown } = selectStores(stores, words);
  if (unknown.length > 0) {
    const choices = ['system', 'nss', ...stores.map((s) => s.id).filter((id) => id !== 'system')];
    throw new UsageError(`--only ${unknown.join(',')}: no such store here (choose from ${[...new Set(choices)].join(', ')}) — ${usage}`);
  }
  return selected;
}

type Direction = 'trust' | 'untrust';

interface Outcome {
  failed: number;
  acted: number;
  present: number;
}

async function handle(store: TrustStore, root: TrustRoot, direction: Direction, runner: CommandRunner, dryRun: boolean, out: (line: string) => void): Promise<Outcome> {
  const before = await store.status(root);
  const none = { failed: 0, acted: 0, present: 1 };
  if (before.state === 'not present') {
    out(`– ${store.label}: not present${before.detail ? ` (${before.detail})` : ''}`);
    return { ...none, present: 0 };
  }
  const done = direction === 'trust' ? before.state === 'trusted' : before.state === 'not trusted';
  if (done) {
    out(`✓ ${store.label}: ${direction === 'trust' ? 'already trusted' : 'not trusted (nothing to remove)'}`);
    return none;
  }
  const commands = direction === 'trust' ? store.installCommands(root) : store.uninstallCommands(root);
  out(`${dryRun ? '·' : '→'} ${store.label}: ${before.state}${before.detail ? ` (${before.detail})` : ''}; ${dryRun ? 'would run' : 'running'}:`);
  for (const command of commands) out(`    $ ${runner.display(command)}`);
  if (dryRun) return { ...none, acted: 1 };
  const result = direction === 'trust' ? await store.install(root) : await store.uninstall(root);
  const after = await store.status(root);
  const ok = direction === 'trust' ? after.state === 'trusted' : after.state === 'not trusted';
  if (ok) {
    out(`  ✓ ${after.state}${after.detail ? ` (${after.detail})` : ''}`);
    return { ...none, acted: 1 };
  }
  const why = result.code !== 0 ? failureLine(result) : `${after.state}${after.detail ? `: ${after.detail}` : ''}`;
  out(`  ✗ failed: ${why}${after.fix && after.fix !== `portico ${direction} --only ${store.id}` ? `\n    fix: ${after.fix}` : ''}`);
  return { failed: 1, acted: 1, present: 1 };
}

export async function trustCommand(direction: Direction, argv: readonly string[], environment?: TrustEnvironment): Promise<number> {
  const usage = `run 'portico ${direction} --help'`;
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  if (values.help) {
    process.stdout.write(trustHelp());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`${direction} takes no arguments (got "${positionals[0]}") — ${usage}`);
  const dryRun = values['dry-run'] === true;
  const { dataDir, root } = await loadRoot(values);
  const env = environment ?? defaultTrustEnvironment(cliRunner());
  const { stores } = await trustStores(env);
  const selected = chooseStores(stores, values.only ?? [], usage);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (process.env['SUDO_USER'] && process.getuid?.() === 0) {
    // Under sudo, HOME and the data dir may be root's: the wrong root CA and NSS databases.
    out(`Note: running under sudo, so this uses ${dataDir} and NSS databases under ${env.home}. Run 'portico ${direction}' without sudo: it asks for sudo itself only where needed.\n`);
  }

  out(`Portico root CA ${root.file}\n  SHA-256 ${root.sha256}${dryRun ? '\n  (dry run: nothing is changed)' : ''}\n`);
  const roots = direction === 'trust' ? [root] : [root, ...(await retiredRoots(dataDir))];
  const total: Outcome = { failed: 0, acted: 0, present: 0 };
  for (const r of roots) {
    if (r !== root) out(`\nRetired root ${r.file} (SHA-256 ${r.sha256}):`);
    for (const store of selected) {
      const o = await handle(store, r, direction, env.runner, dryRun, out);
      total.failed += o.failed;
      total.acted += o.acted;
      total.present += o.present;
    }
  }
  if (total.present === 0) {
    out(`\nNone of the selected trust stores is on this machine (NSS databases are looked for under ${env.home}).`);
    return 1;
  }
  if (direction === 'trust') {
    out(`\nNode.js reads none of these stores; for Node-based tools add:\n  ${nodeExtraCaLine(root.file, env.platform)}`);
    if (!dryRun && total.failed === 0) {
      out(
        '\nA browser that is already running keeps rejecting the certificate until you quit it (every window) and reopen it:\n' +
          'browsers read their trust stores at start-up. To check now without restarting, open a fresh profile:\n' +
          `  ${FRESH_PROFILE_COMMAND}`,
      );
    }
  }
  if (direction === 'untrust' && !dryRun && total.acted > 0) out('\nA browser that is open keeps trusting the root until you restart it.');
  return total.failed > 0 ? 1 : 0;
}
