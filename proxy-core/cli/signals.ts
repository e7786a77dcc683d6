// Ctrl+C / SIGTERM: the first asks for a graceful stop, a second one quits at once
// (the way a developer expects when a stuck request holds the graceful stop up).

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal number, as shells report a process killed by it. */
const EXIT_CODE: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Resolves with the first stop signal. From then on, another stop signal calls
 * `onSecond` and exits the process immediately.
 */
export function onStopSignals(onSecond: (signal: StopSignal) => void): Promise<StopSignal> {
  return new Promise((resolve) => {
    let stopping = false;
    const handler = (signal: StopSignal) => {
      if (!stopping) {
        stopping = true;
        resolve(signal);
        return;
      }
      onSecond(signal);
      process.exit(EXIT_CODE[signal]);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, handler);
  });
}
