// The V8 settings `portico serve` runs with, and the in-place restart that applies them.
//
// Why: a proxy is left running all day, so what it holds matters more than the last few
// percent of speed. On a machine with plenty of RAM, V8 lets its young generation grow to
// large semi-spaces under steady traffic, and keeps the pages it used. Measured with
// `npm run soak` (1,000,000 mixed requests, capture on): V8's defaults end at about 315 MB
// resident and were still growing 370,000 requests in; with 16 MB semi-spaces, 213 MB,
// flat from the first sample. V8 reads this only at start-up, so it cannot be set from
// inside a running process.
//
// The soak and the benchmark start the engine with the same flags, so they measure what
// `portico serve` runs. The desktop app cannot do this: Electron's main process takes V8
// flags from its own command line only.

export const SERVE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=16'];

/** `--max_semi_space_size=8` and `--max-semi-space-size 8` name the same flag. */
const flagName = (arg: string) => arg.split('=')[0]!.replaceAll('_', '-');

/** The flags of SERVE_V8_FLAGS that neither the command line nor NODE_OPTIONS set. */
export function missingServeFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(flagName));
  return SERVE_V8_FLAGS.filter((flag) => !given.has(flagName(flag)));
}

/**
 * Restarts this process in place with the flags it lacks: same pid, same stdio, same
 * arguments, so a supervisor or a terminal sees one process. Returns without doing
 * anything when nothing is missing (a value the user set wins), and where there is no
 * execve (Windows): there, Portico runs with V8's defaults.
 */
export function restartWithServeFlags(): void {
  const missing = missingServeFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length === 0 || typeof process.execve !== 'function') return;
  try {
    process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], process.env);
  } catch {
    // The restart is an optimization: if the system refuses it, serve as we are.
  }
}
