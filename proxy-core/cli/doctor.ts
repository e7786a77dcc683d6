// `portico doctor`: is Portico's HTTPS trusted, where, and if not, what exactly to do.
// Proof over presence: a real handshake against the system trust, not "the file exists".
import { readFile } from 'node:fs/promises';
import { namesInBlock, defaultHostsFile } from '../hosts/index.js';
import { openCertificates } from '../tls/index.js';
import { cliRunner, defaultTrustEnvironment, diagnose, type DoctorReport, type StoreStatus, type TrustEnvironment } from '../trust/index.js';
import { parseFlags } from './args.js';
import { UsageError } from './errors.js';
import { doctorHelp } from './help.js';
import { checkResolution, renderResolution, resolutionFailed, systemLookup, type Lookup, type NameResolution } from './resolver-check.js';
import { loadRoot } from './trust.js';

export const FLAGS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  'hosts-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MARK: Record<StoreStatus['state'], string> = { trusted: '✓', 'not trusted': '✗', 'not present': '·', unknown: '?' };

/** Route hosts a browser cannot resolve by itself (outside .localhost) that the hosts block lacks. */
export function missingHostNames(routeHosts: readonly string[], hostsText: string): string[] {
  const listed = new Set(namesInBlock(hostsText));
  const needed = routeHosts.filter((h) => !h.startsWith('*.') && h !== 'localhost' && !h.endsWith('.localhost') && !/^[\d.]+$/.test(h));
  return [...new Set(needed)].filter((h) => !listed.has(h)).sort();
}

function render(
  report: DoctorReport,
  rootFile: string,
  sha256: string,
  hosts: { file: string; missing: string[] } | undefined,
  resolution: readonly NameResolution[],
): string {
  const lines = [`Root CA      ${rootFile}`, `             SHA-256 ${sha256}`, '', 'Trust stores'];
  const width = Math.max(...report.stores.map((s) => s.status.state.length));
  for (const s of report.stores) {
    lines.push(`  ${MARK[s.status.state]} ${s.status.state.padEnd(width)}  ${s.label}${s.status.detail ? ` — ${s.status.detail}` : ''}`);
    if (s.status.fix && s.status.state !== 'trusted' && s.status.state !== 'not present') lines.push(`    ${' '.repeat(width)}  fix: ${s.status.fix}`);
  }
  const h = report.handshake;
  lines.push('', 'TLS handshake');
  lines.push(h.ok ? `  ✓ https://${h.host} verified against ${h.against}` : `  ✗ https://${h.host} NOT verified against ${h.against}: ${h.code} (${h.message})`);
  if (h.fix) lines.push(`    fix: ${h.fix}`);
  lines.push('', 'Browsers');
  for (const b of report.browsers) {
    if (b.trusts === 'unknown') lines.push(`  ? ${b.browser}: ${b.why}`);
    else lines.push(`  ${b.trusts === 'yes' ? '✓' : '✗'} ${b.browser} ${b.trusts === 'yes' ? 'would trust it' : 'would NOT trust it'} — ${b.why}`);
    // The stores say what a browser reads at start-up: one already open keeps what it read.
    if (b.trusts !== 'unknown') lines.push(`    (once started: a ${b.browser} that is already open keeps its old trust until you restart it)`);
    if (b.fix && b.trusts !== 'yes') lines.push(`    fix: ${b.fix}`);
  }
  lines.push('', 'Node.js');
  lines.push(`  ${MARK[report.node.state]} ${report.node.detail ?? report.node.state}`);
  if (report.node.fix && report.node.state !== 'trusted') lines.push(`    fix: ${report.node.fix}`);
  if (hosts) {
    lines.push('', `Names (${hosts.file})`);
    lines.push(
      hosts.missing.length === 0
        ? '  ✓ every route host outside *.localhost is in the hosts file'
        : `  ✗ not in the hosts file: ${hosts.missing.join(', ')}\n    fix: portico hosts sync`,
    );
  }
  if (resolution.length > 0) lines.push('', 'Names (system resolver)', ...renderResolution(resolution));
  const problems = report.problems + (hosts?.missing.length ? 1 : 0) + resolution.filter(resolutionFailed).length;
  lines.push('', problems === 0 ? 'Everything checks out.' : `${problems} problem${problems === 1 ? '' : 's'} found; each has its fix above.`);
  return lines.join('\n') + '\n';
}

export async function doctor(argv: readonly string[], environment?: TrustEnvironment, lookup: Lookup = systemLookup): Promise<number> {
  const usage = "run 'portico doctor --help'";
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  if (values.help) {
    process.stdout.write(doctorHelp());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`doctor takes no arguments (got "${positionals[0]}") — ${usage}`);
  const { dataDir, config, root } = await loadRoot(values);
  const env = environment ?? defaultTrustEnvironment(cliRunner());
  const certificates = await openCertificates(dataDir, config.ca.suffixes);
  const routeHosts = config.routes.filter((r) => r.enabled !== false).map((r) => r.host);
  const report = await diagnose({ env, root, leaves: certificates.store, suffixes: config.ca.suffixes, routeHosts });

  const hostsFile = values['hosts-file'] ?? defaultHostsFile(env.platform);
  const hostsText = await readFile(hostsFile, 'latin1').catch(() => undefined);
  let hosts: { file: string; missing: string[] } | undefined;
  if (hostsText !== undefined) {
    try {
      hosts = { file: hostsFile, missing: missingHostNames(routeHosts, hostsText) };
    } catch (error) {
      // A broken Portico block: every name counts as missing, and sync says how to fix it.
      process.stderr.write(`portico: ${hostsFile}: ${(error as Error).message}\n`);
      hosts = { file: hostsFile, missing: missingHostNames(routeHosts, '') };
    }
  }
  const resolution = await checkResolution(routeHosts, lookup);
  const problems = report.problems + (hosts?.missing.length ? 1 : 0) + resolution.filter(resolutionFailed).length;

  if (values.json) {
    process.stdout.write(JSON.stringify({ root: { file: root.file, sha256: root.sha256 }, ...report, hosts, resolution, problems }, null, 2) + '\n');
  } else {
    process.stdout.write(render(report, root.file, root.sha256, hosts, resolution));
  }
  return problems === 0 ? 0 : 1;
}
