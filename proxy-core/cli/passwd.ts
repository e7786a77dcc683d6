// `portico passwd HOST USER`: sets (or with --delete removes) a Basic-auth user on the
// route for HOST. The config file is edited as written — only that route's auth.basic.users
// changes — and saved atomically; a running Portico applies it at once (it watches the file).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { hashPassword } from '../auth/password-hash.js';
import { withoutUser, withUser } from '../auth/route-users.js';
import { ConfigError, configPathIn, defaultDataDir, parseConfigText, saveConfig } from '../config/index.js';
import { HostPatternSchema, PathPrefixSchema, userNameProblem, type ConfigInput, type RouteInput } from '../contract/index.js';
import { parseFlags } from './args.js';
import { CliError, UsageError } from './errors.js';
import { passwdHelp } from './help.js';
import { readNewPassword } from './password-input.js';

export const FLAGS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  path: { type: 'string' },
  delete: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The file as written (for saving back) and validated (so a broken file is reported, not rewritten). */
async function readConfigFile(file: string): Promise<ConfigInput> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(error.code === 'ENOENT' ? `${file} does not exist: add a route for the host first` : `cannot read ${file}: ${error.message}`);
  });
  try {
    parseConfigText(text, file);
  } catch (error) {
    throw error instanceof ConfigError ? new CliError(error.message) : error;
  }
  return JSON.parse(text.replace(/^\uFEFF/, '')) as ConfigInput;
}

/** The index of the one route for `host` (and `path`, when given), or a CliError that says how to pick. */
function findRoute(routes: RouteInput[], host: string, path: string | undefined, file: string): number {
  const same = (a: string, b: string | undefined) => HostPatternSchema.safeParse(a).data === b;
  const forHost = routes.flatMap((route, i) => (same(route.host, host) ? [i] : []));
  const prefixOf = (i: number) => PathPrefixSchema.parse(routes[i]!.pathPrefix ?? '/');
  const matching = path === undefined ? forHost : forHost.filter((i) => prefixOf(i) === path);
  if (matching.length === 1) return matching[0]!;
  if (forHost.length === 0) {
    const hosts = [...new Set(routes.map((r) => r.host))];
    throw new CliError(`no route in ${file} has the host "${host}"${hosts.length ? ` (its hosts: ${hosts.join(', ')})` : ' (it has no routes)'}`);
  }
  const prefixes = forHost.map(prefixOf).join(', ');
  throw new CliError(
    path === undefined
      ? `${file} has ${forHost.length} routes for "${host}" (path prefixes ${prefixes}): pick one with --path`
      : `no route for "${host}" has the path prefix "${path}" (its prefixes: ${prefixes})`,
  );
}

export async function passwd(argv: readonly string[]): Promise<number> {
  const usage = "run 'portico passwd --help'";
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  if (values.help) {
    process.stdout.write(passwdHelp());
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError(`passwd needs a HOST and a USER (got ${positionals.length} argument(s)) — ${usage}`);
  const [hostArg, user] = positionals as [string, string];
  const host = HostPatternSchema.safeParse(hostArg);
  if (!host.success) throw new UsageError(`"${hostArg}" is not a route host ${host.error.issues[0]?.message ?? ''} — ${usage}`);
  const userProblem = userNameProblem(user);
  if (userProblem) throw new UsageError(`${userProblem} (got "${user}") — ${usage}`);
  const path = values.path === undefined ? undefined : PathPrefixSchema.safeParse(values.path);
  if (path && !path.success) throw new UsageError(`--path ${path.error.issues[0]?.message ?? 'is not a path prefix'} — ${usage}`);

  const file = values.config !== undefined ? resolve(values.config) : configPathIn(resolve(values['data-dir'] ?? defaultDataDir()));
  const config = await readConfigFile(file);
  const routes = config.routes ?? [];
  const index = findRoute(routes, host.data, path?.data, file);
  const route = routes[index]!;
  let next: RouteInput;
  if (values.delete) {
    const without = withoutUser(route, user);
    if (!without) throw new CliError(`the route for "${host.data}" has no user "${user}"`);
    next = without;
  } else {
    next = withUser(route, user, await hashPassword(await readNewPassword(user, host.data)));
  }
  await saveConfig(file, { ...config, routes: routes.map((r, i) => (i === index ? next : r)) });
  const what = values.delete ? `Removed user ${user} from` : `Password for ${user} set on`;
  process.stdout.write(`${what} ${host.data}${route.pathPrefix ? route.pathPrefix : ''} in ${file}. A running Portico applies it at once.\n`);
  return 0;
}
