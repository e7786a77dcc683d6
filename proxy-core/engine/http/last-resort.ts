// The process-wide safety net. Portico is one process holding every listener: a throw
// that escapes a request's own handling must not take the proxy, HTTPS and the UI down
// with it. Request handlers are guarded where they are entered (guarded-handlers.ts),
// which names the request; this catches what escapes from a later callback (a timer, a
// stream event). The engine's state is swapped whole and never left half-built by a
// request, so serving on after logging is safe; the one socket involved is lost at worst.

let installed: ((error: unknown, origin: string) => void) | undefined;

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/**
 * Logs an uncaught exception or unhandled rejection and keeps serving. Installed once per
 * process (`portico serve`, the desktop app); a second call only changes where it logs.
 */
export function installLastResort(log: (line: string) => void): void {
  const report = (error: unknown, origin: string) => log(`internal error (${origin}), still serving: ${describe(error)}`);
  if (installed) {
    installed = report;
    return;
  }
  installed = report;
  process.on('uncaughtException', (error, origin) => installed!(error, origin));
  process.on('unhandledRejection', (reason) => installed!(reason, 'unhandledRejection'));
}
