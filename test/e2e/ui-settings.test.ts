// Settings never lose an edit, in Chromium against a real `portico serve`: saving one
// section keeps what is typed in another, and lowering the capture limit says how many
// recorded requests it drops before it drops them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/request.js';
import { openBrowser, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the Settings UI test: ${missing}`);

describe.skipIf(missing !== undefined)('Settings', { timeout: 60_000 }, () => {
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;
  const settings = async () => {
    const token = new URL(serve.uiUrl).searchParams.get('token');
    const reply = await fetch(new URL('/api/commands/settings.get', serve.uiUrl), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    return (await reply.json()) as { capture: { maxExchanges: number; wsMessageLimit: number } };
  };

  beforeAll(async () => {
    serve = await startServe();
    browser = await openBrowser();
    page().setDefaultTimeout(15_000);
    await page().goto(serve.uiUrl);
    await page().getByRole('tab', { name: 'Settings' }).click();
    await page().getByLabel('Cache memory (MiB)').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
  });

  it('saving one section keeps what is typed, unsaved, in another', async () => {
    await page().getByLabel('Cache memory (MiB)').fill('99');
    await page().getByLabel('WebSocket messages').fill('500');
    await page().getByRole('button', { name: 'Save capture limits' }).click();
    await expect.poll(async () => (await settings()).capture.wsMessageLimit).toBe(500);
    await page().getByText('Capture limits saved').waitFor();
    expect(await page().getByLabel('Cache memory (MiB)').inputValue()).toBe('99');
  });

  it('lowering the capture limit says how many requests it drops, and drops them only when confirmed', async () => {
    for (const path of ['/a', '/b', '/c']) await request(serve.httpPort, { host: 'nobody.localhost', path });
    await page().getByLabel('Keep at most (requests)').fill('1');
    await page().getByRole('button', { name: 'Save capture limits' }).click();
    await page().getByText('Keeping at most 1 requests drops the 2 oldest of the 3 recorded now, at once.').waitFor();
    expect((await settings()).capture.maxExchanges).toBe(50_000);
    await page().getByRole('button', { name: 'Drop them and save' }).click();
    await expect.poll(async () => (await settings()).capture.maxExchanges).toBe(1);
  });

  it('logged no console errors and no CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
