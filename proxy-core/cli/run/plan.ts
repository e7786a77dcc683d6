// What `portico run` starts: the command as given, or the project's dev script through its
// package manager, with port flags added where the server ignores PORT. Pure, apart from
// the caller reading package.json and looking for lockfiles.
import { portFlags, scriptWords } from './port-flags.js';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Lockfile → package manager, in the order they are looked for. */
export const LOCKFILES: readonly [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** package.json's "packageManager" ("pnpm@9.1.0") wins over lockfiles; npm when nothing says. */
export function packageManagerOf(packageJson: unknown, lockfile: string | undefined): PackageManager {
  const declared = (packageJson as { packageManager?: unknown } | undefined)?.packageManager;
  if (typeof declared === 'string') {
    const name = declared.split('@')[0];
    if (name === 'npm' || name === 'pnpm' || name === 'yarn' || name === 'bun') return name;
  }
  return LOCKFILES.find(([file]) => file === lockfile)?.[1] ?? 'npm';
}

export interface Plan {
  argv: string[];
  /** One line each: why a command got no port flags though it might serve. */
  notes: string[];
  /** The server that got flags ("vite"), if one did. */
  flagged?: string;
}

/** The script a package-manager command runs: `npm run dev`, `npm start`, `pnpm dev`, `yarn dev`, `bun run dev`. */
export function scriptOf(argv: readonly string[]): string | undefined {
  const [pm, first, second] = argv;
  if (pm === 'npm') {
    if (first === 'start') return 'start';
    return first === 'run' || first === 'run-script' ? second : undefined;
  }
  if (pm === 'pnpm' || pm === 'yarn' || pm === 'bun') {
    if (first === 'run') return second;
    if (pm !== 'bun' && first !== undefined && !first.startsWith('-')) return first;
  }
  return undefined;
}

const scriptsOf = (packageJson: unknown): Record<string, unknown> => {
  const scripts = (packageJson as { scripts?: unknown } | undefined)?.scripts;
  return typeof scripts === 'object' && scripts !== null ? (scripts as Record<string, unknown>) : {};
};

/** The bare `portico run`: the dev script through the package manager. */
export function devCommand(manager: PackageManager, script: string): string[] {
  return [manager, 'run', script];
}

/** Adds the port flags `argv` needs, directly or through the package script it runs. */
export function plan(argv: readonly string[], port: number, packageJson: unknown): Plan {
  const script = scriptOf(argv);
  if (script === undefined) {
    const decision = portFlags(argv, port);
    if (decision.kind === 'flags') return { argv: [...argv, ...decision.flags], notes: [], flagged: decision.server };
    return { argv: [...argv], notes: decision.kind === 'left' ? [decision.why] : [] };
  }
  const text = scriptsOf(packageJson)[script];
  if (typeof text !== 'string') return { argv: [...argv], notes: [] };
  const parsed = scriptWords(text);
  if ('why' in parsed) {
    return { argv: [...argv], notes: [`script "${script}" (${text}) gets PORT=${port} but no port flags: ${parsed.why}`] };
  }
  const decision = portFlags(parsed.words, port);
  if (decision.kind === 'left') return { argv: [...argv], notes: [`script "${script}": ${decision.why}`] };
  if (decision.kind === 'none') return { argv: [...argv], notes: [] };
  // npm passes arguments to the script only after "--"; pnpm, yarn and bun pass them as they are.
  const separator = argv[0] === 'npm' && !argv.includes('--') ? ['--'] : [];
  return { argv: [...argv, ...separator, ...decision.flags], notes: [], flagged: decision.server };
}
