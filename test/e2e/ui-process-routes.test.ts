// Process routes in the Routes view, in real Chromium on `portico serve`'s UI: a route that
// `portico run` holds appears live, marked with its pid and command; its Stop button ends
// the process, and the card goes with it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';
import { ECHO_ENV_SERVER, killPid, startRun } from '../helpers/portico-run.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the process-routes UI test: ${missing}`);

describe.skipIf(missing !== undefined)('process routes in the Routes view', { timeout: 60_000 }, () => {
  let serve: Serve;
  let browser: Browser;

  beforeAll(async () => {
    serve = await startServe();
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('shows a portico run route live with its pid and command, and Stop ends the process and the route', async () => {
    const page = browser.page;
    await page.goto(serve.uiUrl);

    const app = path.join(serve.dataDir, 'app');
    await mkdir(app, { recursive: true });
    await writeFile(path.join(app, 'server.cjs'), ECHO_ENV_SERVER);
    const run = startRun(['--name', 'live-ui', '--', 'node', 'server.cjs'], { cwd: app, dataDir: serve.dataDir });
    try {
      await run.printed('listening on');
      const card = page.getByRole('listitem', { name: 'live-ui.localhost' });
      const tag = card.getByLabel('Process route of node server.cjs');
      await tag.waitFor();
      expect(await tag.innerText()).toMatch(/process \d+\s+node server\.cjs\s+since/);

      await card.getByRole('button', { name: 'Stop node server.cjs' }).click();
      expect((await run.exited).code).toBe(143);
      await card.waitFor({ state: 'detached' });
      expect(browser.problems).toEqual([]);
    } finally {
      killPid(run.child.pid);
    }
  });
});
