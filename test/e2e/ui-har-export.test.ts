// The Traffic toolbar's two HAR exports in real Chromium on `portico serve`: "Export HAR"
// downloads a file with no credential in it (header names kept, values replaced), "Export
// HAR with sensitive data" the one with everything; the detail pane still shows it all.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../proxy-core/capture/har-sanitize.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { openBrowser, ROOT, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the HAR export UI test: ${missing}`);

const SHOTS = path.join(ROOT, 'test-results', 'ui');
const CREDENTIAL = Buffer.from('ada:correct horse').toString('base64');

interface HarDoc {
  log: { comment?: string; entries: { request: { url: string; headers: { name: string; value: string }[] } }[] };
}

describe.skipIf(missing !== undefined)('HAR export from the Traffic view', { timeout: 60_000 }, () => {
  let backend: Backend;
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;

  /** Clicks an export button and reads the file Chromium downloaded. */
  async function download(name: string): Promise<{ filename: string; text: string }> {
    const [file] = await Promise.all([page().waitForEvent('download'), page().getByRole('button', { name, exact: true }).click()]);
    return { filename: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
  }

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    backend = await startBackend('app', (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': 'session=backend-secret-42; HttpOnly' }).end('ok');
    });
    serve = await startServe(['--route', `app.localhost=${backend.url}`]);
    browser = await openBrowser();
    const reply = await request(serve.httpPort, {
      host: 'app.localhost',
      path: '/account',
      headers: { authorization: `Basic ${CREDENTIAL}`, cookie: 'theme=dark; sid=client-secret-7' },
    });
    expect(reply.status).toBe(200);
    await page().goto(serve.uiUrl);
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
    await page().getByRole('grid', { name: 'Traffic' }).getByRole('row').filter({ hasText: '/account' }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await backend?.close();
  });

  it('"Export HAR" downloads a sanitized file: the header is named, its credential is not in the file', async () => {
    await page().screenshot({ path: path.join(SHOTS, 'traffic-har-export.png') });
    const { filename, text } = await download('Export HAR');
    expect(filename).toMatch(/^portico-.*\.har$/);
    expect(filename).not.toContain('sensitive');
    for (const secret of [CREDENTIAL, 'client-secret-7', 'backend-secret-42']) expect(text).not.toContain(secret);
    const har = JSON.parse(text) as HarDoc;
    expect(har.log.comment).toMatch(/^Sanitized by Portico/);
    const entry = har.log.entries.find((e) => e.request.url.endsWith('/account'))!;
    expect(entry.request.headers).toContainEqual({ name: 'authorization', value: REDACTED });
  });

  it('"Export HAR with sensitive data" downloads the file as captured', async () => {
    const { filename, text } = await download('Export HAR with sensitive data');
    expect(filename).toMatch(/^portico-.*-sensitive\.har$/);
    expect(text).toContain(CREDENTIAL);
    expect(text).toContain('client-secret-7');
  });

  it('the detail pane keeps showing the credential (it is this machine), with no console errors', async () => {
    await page().getByRole('grid', { name: 'Traffic' }).getByRole('row').filter({ hasText: '/account' }).click();
    await page().getByText(`Basic ${CREDENTIAL}`).first().waitFor();
    expect(browser.problems).toEqual([]);
  });
});
