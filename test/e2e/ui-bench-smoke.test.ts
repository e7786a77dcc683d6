// The UI bench must keep working: its short version drives the built renderer in Chromium
// through a fake bridge (load, stream, type into the filter) and exits 1 when it cannot.
// Figures are printed, not asserted: speed is judged by `npm run bench`, not here.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, uiTestsMissing } from '../helpers/ui.js';

const run = promisify(execFile);
const missing = uiTestsMissing();
if (missing) console.warn(`skipping the UI bench smoke: ${missing}`);

describe.skipIf(missing !== undefined)('the UI bench', () => {
  it('drives the Traffic view: rows load, a stream arrives, keys reach the filter', { timeout: 120_000 }, async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'test/bench/ui-bench.mjs')], {
      env: { ...process.env, UI_BENCH_SMOKE: '1' },
      timeout: 110_000,
    });
    expect(stdout).toContain('ui-bench smoke OK');
    expect(stdout).toMatch(/typing a filter .* key→paint max [\d.]+ ms \(\d+ keys\)/);
  });
});
