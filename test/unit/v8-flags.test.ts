// Which of `portico serve`'s V8 flags are still missing: a value the user set wins.
import { describe, expect, it } from 'vitest';
import { missingServeFlags, SERVE_V8_FLAGS } from '../../proxy-core/cli/v8-flags.js';

describe('missingServeFlags', () => {
  it.each([
    ['nothing set', [], '', SERVE_V8_FLAGS],
    ['already restarted', [...SERVE_V8_FLAGS], '', []],
    ['the user chose another size on the command line', ['--max-semi-space-size=64'], '', []],
    ['the same flag spelled with underscores', ['--max_semi_space_size=8'], '', []],
    ['the user chose a size in NODE_OPTIONS', [], '--enable-source-maps  --max-semi-space-size=32', []],
    ['unrelated flags', ['--cpu-prof', '--expose-gc'], '--max-old-space-size=4096', SERVE_V8_FLAGS],
  ])('%s', (_case, execArgv, nodeOptions, missing) => {
    expect(missingServeFlags(execArgv, nodeOptions)).toEqual(missing);
  });
});

describe('the portico command line', () => {
  it('starts Node with exactly the serve flags, so serve needs no restart when run as a program', async () => {
    const { readFile } = await import('node:fs/promises');
    const main = await readFile(new URL('../../proxy-core/cli/main.ts', import.meta.url), 'utf8');
    const shebang = main.split('\n')[0]!;
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVE_V8_FLAGS.join(' ')}`);
  });
});
