// `portico hosts`: the hosts-file block for dev names browsers do not resolve by
// themselves (*.test; *.localhost only matters for Safari and some CLIs).
import { resolve } from 'node:path';
import { ConfigError, configPathIn, defaultDataDir, loadConfig } from '../config/index.js';
import { applyHostsChange, defaultHostsFile, elevatedCommands, HostsFileError, planHostsChange, type HostsChange } from '../hosts/index.js';
import { cliRunner } from '../trust/index.js';
import { parseFlags } from './args.js';
import { CliError, UsageError } from './errors.js';
import { hostsHelp } from './help.js';

export const FLAGS = {
  file: { type: 'string' },
  'dry-run': { type: 'boolean' },
  localhost: { type: 'boolean' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ACTIONS = ['show', 'add', 'remove', 'sync', 'clear'] as const;

/** The route hosts a hosts file can and should carry: no wildcards, no addresses, .localhost only if asked. */
export function hostsForRoutes(routeHosts: readonly string[], includeLocalhost: boolean): { names: string[]; skipped: string[] } {
  const names: string[] = [];
  const skipped: string[] = [];
  for (const host of new Set(routeHosts)) {
    if (/^[\d.]+$/.test(host)) continue;
    if (host.startsWith('*.')) skipped.push(host);
    else if (includeLocalhost || !(host === 'localhost' || host.endsWith('.localhost'))) names.push(host);
  }
  return { names, skipped };
}

async function configHosts(values: { 'data-dir'?: string | undefined; config?: string | undefined }): Promise<string[]> {
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const file = values.config !== undefined ? resolve(values.config) : configPathIn(dataDir);
  const config = await loadConfig(file).catch((error: unknown) => {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  });
  return config.routes.filter((r) => r.enabled !== false).map((r) => r.host);
}

function describe(change: HostsChange, dryRun: boolean, out: (l: string) => void): void {
  const added = change.after.filter((n) => !change.before.includes(n));
  const removed = change.before.filter((n) => !change.after.includes(n));
  if (!change.changed) return out(`${change.file} already has exactly these names; nothing to do.`);
  if (added.length) out(`${dryRun ? 'would add' : 'adding'}    ${added.join(', ')}  (127.0.0.1 and ::1)`);
  if (removed.length) out(`${dryRun ? 'would remove' : 'removing'}  ${removed.join(', ')}`);
  if (change.backup) out(`backup    ${change.backup} (the file as it is now, kept once)`);
  if (!change.writable) {
    out(`${change.file} needs administrator rights; ${dryRun ? 'would run' : 'running'} (the new text in a temp file):`);
    const runner = cliRunner();
    for (const c of elevatedCommands(change, '<temp file>')) out(`  $ ${runner.display(c)}`);
  }
}

export async function hosts(argv: readonly string[]): Promise<number> {
  const usage = "run 'portico hosts --help'";
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  if (values.help) {
    process.stdout.write(hostsHelp());
    return 0;
  }
  const [action = 'show', ...names] = positionals;
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown hosts action "${action}" (${ACTIONS.join(', ')}) — ${usage}`);
  if ((action === 'add' || action === 'remove') && names.length === 0) throw new UsageError(`hosts ${action} needs at least one name — ${usage}`);
  if (action !== 'add' && action !== 'remove' && names.length > 0) throw new UsageError(`hosts ${action} takes no names (got "${names[0]}") — ${usage}`);
  const file = resolve(values.file ?? defaultHostsFile());
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const current = (await planHostsChange(file, [])).before;
    if (action === 'show') {
      out(current.length ? current.join('\n') : `(no names in Portico's block in ${file})`);
      return 0;
    }
    let wanted: string[];
    if (action === 'add') wanted = [...current, ...names];
    else if (action === 'remove') wanted = current.filter((n) => !names.map((x) => x.toLowerCase()).includes(n));
    else if (action === 'clear') wanted = [];
    else {
      const { names: fromRoutes, skipped } = hostsForRoutes(await configHosts(values), values.localhost === true);
      if (skipped.length) out(`skipped   ${skipped.join(', ')} (a hosts file has no wildcards: add each name with 'portico hosts add')`);
      wanted = fromRoutes;
    }
    const change = await planHostsChange(file, wanted);
    describe(change, values['dry-run'] === true, out);
    if (values['dry-run'] || !change.changed) return 0;
    await applyHostsChange(change, cliRunner());
    out(`${file} updated.`);
    return 0;
  } catch (error) {
    if (error instanceof HostsFileError) throw new CliError(`${file}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${file} does not exist`);
    if (code || /could not update/.test((error as Error).message)) throw new CliError((error as Error).message);
    throw error;
  }
}
