// `portico ca export` and `portico ca info`: the root certificate to trust, and what a
// person needs to recognise it. Both create the root on first use, like `serve` would.
import { resolve } from 'node:path';
import { ConfigError, configPathIn, defaultDataDir, loadConfig } from '../config/index.js';
import { describeCa, loadOrCreateRootCa } from '../tls/index.js';
import { parseFlags } from './args.js';
import { CliError, UsageError } from './errors.js';
import { caHelp } from './help.js';

export const FLAGS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function ca(argv: readonly string[]): Promise<number> {
  const usage = "run 'portico ca --help'";
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  const [action, ...extra] = positionals;
  if (values.help || action === undefined) {
    (values.help ? process.stdout : process.stderr).write(caHelp());
    return values.help ? 0 : 2;
  }
  if (action !== 'export' && action !== 'info') throw new UsageError(`unknown ca action "${action}" (export or info) — ${usage}`);
  if (extra.length > 0) throw new UsageError(`ca ${action} takes no more arguments (got "${extra[0]}") — ${usage}`);

  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const configFile = values.config !== undefined ? resolve(values.config) : configPathIn(dataDir);
  const config = await loadConfig(configFile).catch((error: unknown) => {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  });
  const { ca: root, created } = await loadOrCreateRootCa(dataDir, config.ca.suffixes);
  if (created) process.stderr.write(`portico: created a new root CA in ${dataDir} (${created})\n`);

  if (action === 'export') {
    process.stdout.write(root.certPem);
    return 0;
  }
  const info = await describeCa(dataDir, root);
  if (values.json) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `Subject      ${info.subject}`,
    `SHA-256      ${info.fingerprintSha256}`,
    `Valid        ${info.notBefore.slice(0, 10)} to ${info.notAfter.slice(0, 10)}`,
    `Permitted    ${info.permitted.join(', ')}  (the only names it can sign: a leaked key cannot forge other sites)`,
    `Signature    ${info.signature}`,
    `Certificate  ${info.files.cert}`,
    `Private key  ${info.files.key}  (readable by you alone)`,
  ];
  if (info.retired.length > 0) {
    lines.push('', 'Retired roots (made before ca.suffixes changed; remove them from your trust stores):');
    for (const old of info.retired) lines.push(`  ${old.fingerprintSha256}  ${old.file}`);
  }
  lines.push('', 'Changing ca.suffixes in the config creates a new root, because the permitted names are part of it.');
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
