// Dev servers that ignore $PORT: which commands get --port/--host flags, and which are
// left alone (and why). Pure: the table of rules has a table of tests.

/** What a known server wants added, given the port. */
interface ServerRule {
  /** Subcommands that serve; `null` means "no subcommand" serves too. */
  serving: readonly (string | null)[];
  flags: (port: number) => string[];
}

const viteFlags = (port: number) => ['--port', String(port), '--host', '127.0.0.1', '--strictPort'];
const portHost = (port: number) => ['--port', String(port), '--host', '127.0.0.1'];

/** By executable name. Next.js, Express, Nest, Fastify… read PORT: they need nothing. */
const SERVERS: Record<string, ServerRule> = {
  // Vite, and SvelteKit / Vue / Solid / Qwik which run it as `vite dev`.
  vite: { serving: [null, 'dev', 'serve', 'preview'], flags: viteFlags },
  'react-router': { serving: ['dev'], flags: viteFlags },
  remix: { serving: ['vite:dev'], flags: viteFlags },
  astro: { serving: ['dev', 'preview'], flags: portHost },
  ng: { serving: ['serve', 's', 'dev'], flags: portHost },
  'webpack-dev-server': { serving: [null, 'serve'], flags: portHost },
  webpack: { serving: ['serve', 'server', 's'], flags: portHost },
  'vue-cli-service': { serving: ['serve'], flags: portHost },
  nuxt: { serving: ['dev', 'preview'], flags: portHost },
  nuxi: { serving: ['dev', 'preview'], flags: portHost },
  gatsby: { serving: ['develop', 'serve'], flags: portHost },
  docusaurus: { serving: ['start', 'serve'], flags: portHost },
};

/** Runners that put the real command after them: `npx vite`, `pnpm exec vite`. */
const RUNNERS: Record<string, number> = { npx: 1, bunx: 1, pnpx: 1, 'pnpm exec': 2, 'pnpm dlx': 2, 'yarn exec': 2, 'yarn dlx': 2, 'npm exec': 2 };

export type FlagDecision =
  | { kind: 'flags'; server: string; flags: string[] }
  /** The command reads PORT, or is not a server we know: nothing to add, nothing to say. */
  | { kind: 'none' }
  /** Left alone for a reason worth one line. */
  | { kind: 'left'; why: string };

/** `/usr/bin/vite`, `vite.cmd`, `node_modules/.bin/vite` → `vite`. */
const executable = (word: string) => word.replace(/^.*[\\/]/, '').replace(/\.(cmd|exe|js|mjs|cjs)$/i, '');

/** The server's argv with any runner prefix taken off. */
function unwrap(argv: readonly string[]): readonly string[] {
  const first = executable(argv[0] ?? '');
  const two = `${first} ${argv[1] ?? ''}`;
  if (RUNNERS[two] !== undefined) return argv.slice(RUNNERS[two]);
  if (RUNNERS[first] === undefined) return argv;
  const rest = argv.slice(1);
  const command = rest.findIndex((word) => !word.startsWith('-'));
  return command < 0 ? [] : rest.slice(command);
}

/** The flags a command needs to listen on `port`, decided from its words. */
export function portFlags(argv: readonly string[], port: number): FlagDecision {
  const words = unwrap(argv);
  const name = executable(words[0] ?? '');
  const rule = SERVERS[name];
  if (!rule) return { kind: 'none' };
  const positional = words.slice(1).find((w) => !w.startsWith('-'));
  // A bare `vite ./site` names a root folder: that serves too.
  const sub = positional === undefined || (rule.serving.includes(null) && !KNOWN_SUBCOMMANDS.has(positional)) ? null : positional;
  const label = [name, sub].filter(Boolean).join(' ');
  if (!rule.serving.includes(sub)) return { kind: 'left', why: `"${label}" does not serve: no port flags added` };
  if (words.some((w) => w === '--port' || w.startsWith('--port=') || w === '-p')) {
    return { kind: 'left', why: `"${label}" already sets its port: it must be ${port} for the route to reach it` };
  }
  return { kind: 'flags', server: label, flags: rule.flags(port) };
}

/** Subcommands of the servers whose bare form serves, so `vite build` is not read as a folder. */
const KNOWN_SUBCOMMANDS = new Set(['build', 'optimize', 'preview', 'dev', 'serve', 'bundle', 'configtest', 'info', 'init']);

/** Shell syntax that makes a script more than one plain command. */
const SHELL_SYNTAX = /[&|;<>$`()\n]/;

/**
 * Splits a package.json script into words, or says why it cannot be read as one plain
 * command (operators, variables, an env prefix: flags appended there could land anywhere).
 */
export function scriptWords(script: string): { words: string[] } | { why: string } {
  if (SHELL_SYNTAX.test(script)) return { why: 'it is not one plain command' };
  const words: string[] = [];
  for (const match of script.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  if (words.length === 0) return { why: 'it is empty' };
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || ['env', 'cross-env', 'dotenv'].includes(executable(words[0]!))) {
    return { why: 'it starts with environment settings' };
  }
  return { words };
}
