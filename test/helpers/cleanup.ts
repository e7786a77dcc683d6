// Collects things to close and closes them (last opened, first closed) after each test or file.
import { afterAll, afterEach } from 'vitest';

type Closer = () => unknown;

export function closeAfter(scope: 'each' | 'all' = 'each'): <T>(thing: T, close?: (thing: T) => unknown) => T {
  const closers: Closer[] = [];
  (scope === 'each' ? afterEach : afterAll)(async () => {
    const errors: unknown[] = [];
    while (closers.length > 0) {
      try {
        await closers.pop()?.();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  });
  return (thing, close) => {
    closers.push(() => (close ? close(thing) : (thing as { close(): unknown }).close()));
    return thing;
  };
}
