// `portico status` / `portico list`: the running Portico's listeners and routes, process
// routes marked with their pid and command.
import { resolve } from 'node:path';
import { defaultDataDir } from '../config/paths.js';
import { connectControl } from './control-client.js';
import { UsageError } from './errors.js';
import { statusHelp } from './help.js';

export async function status(argv: readonly string[]): Promise<number> {
  let dataDir = resolve(defaultDataDir());
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(statusHelp());
      return 0;
    }
    if (arg === '--json') json = true;
    else if (arg === '--data-dir' && argv[i + 1]) dataDir = resolve(argv[++i]!);
    else if (arg.startsWith('--data-dir=')) dataDir = resolve(arg.slice('--data-dir='.length));
    else throw new UsageError(`unknown argument ${arg} — run 'portico status --help'`);
  }
  const connection = await connectControl(dataDir);
  if (!connection) {
    process.stderr.write(`No Portico is running for ${dataDir} ('portico run' or 'portico serve' starts one).\n`);
    return 1;
  }
  try {
    const [info, routes, processes] = await Promise.all([connection.call('status'), connection.call('routes.list'), connection.call('processes.list')]);
    if (json) {
      process.stdout.write(JSON.stringify({ status: info, pid: connection.address.pid, kind: connection.address.kind, routes, processes }, null, 2) + '\n');
      return 0;
    }
    const lines = [
      `Portico ${info.version} (${connection.address.kind === 'app' ? 'desktop app' : 'portico serve'}, pid ${connection.address.pid})  data dir ${info.dataDir}`,
    ];
    lines.push(`HTTP    http://127.0.0.1:${info.http.port}`);
    if (info.https) lines.push(`HTTPS   https://127.0.0.1:${info.https.port}`);
    lines.push(routes.length === 0 ? 'Routes  none' : 'Routes');
    const byRoute = new Map(processes.map((p) => [p.id, p]));
    for (const route of routes) {
      const owner = byRoute.get(route.id ?? '');
      const target = route.target ?? route.targets?.join(', ') ?? '';
      const mark = owner ? `  [process ${owner.pid}: ${owner.command}, since ${owner.since.slice(11, 19)}]` : route.enabled === false ? '  [off]' : '';
      lines.push(`  ${route.host}${route.pathPrefix ?? ''}  →  ${target}${mark}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    connection.close();
  }
}
