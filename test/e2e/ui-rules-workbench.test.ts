// The traffic workbench in Chromium against `portico serve`: "Mock this response" makes a
// respond rule from a captured exchange (body editable), the browser then gets the 500 and
// the backend sees nothing; the rule editor's switches and order buttons; a request paused
// by "Break on this URL" gets a header added in the editor and the backend receives it;
// "Edit and resend" sends an edited request and shows the new exchange linked to the old.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { openBrowser, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the workbench UI test: ${missing}`);

const HOST = 'shop.localhost';

describe.skipIf(missing !== undefined)('the traffic workbench in the UI', { timeout: 60_000 }, () => {
  let backend: Backend;
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;
  const get = (path: string, headers: Record<string, string> = {}) => request(serve.httpPort, { host: HOST, path, headers });
  const hits = (path: string) => backend.requests.filter((r) => r.url === path).length;

  beforeAll(async () => {
    backend = await startBackend('shop', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ path: req.url, method: req.method, debug: req.headers['x-debug'] ?? null, body: Buffer.concat(chunks).toString() }));
      });
    });
    serve = await startServe(['--route', `${HOST}=${backend.url}`]);
    browser = await openBrowser();
    await page().goto(serve.uiUrl);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await backend?.close();
  });

  /** Opens an exchange of Traffic by its URL text. */
  async function openExchange(url: string) {
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
    await page().getByRole('row').filter({ hasText: url }).first().click();
    await page().getByRole('region', { name: 'Request details' }).waitFor();
  }

  it('"Mock this response" makes a respond rule; with status 500 the browser gets it and the backend sees nothing', async () => {
    expect((await get('/api/cart')).status).toBe(200);
    await openExchange('/api/cart');
    await page().getByRole('button', { name: 'Mock this response' }).click();
    const dialog = page().getByRole('dialog');
    expect(await dialog.getByLabel('host', { exact: true }).inputValue()).toBe(HOST);
    expect(await dialog.getByLabel('pathPrefix', { exact: true }).inputValue()).toBe('/api/cart');
    expect(await dialog.getByLabel('method', { exact: true }).inputValue()).toBe('GET');
    expect(await dialog.getByLabel('respond.body', { exact: true }).inputValue()).toContain('"/api/cart"');
    await dialog.getByLabel('id', { exact: true }).fill('cart-500');
    await dialog.getByLabel('respond.status', { exact: true }).fill('500');
    await dialog.getByLabel('respond.body', { exact: true }).fill('{"error":"boom"}');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await page()
      .getByRole('listitem', { name: /Rule mock GET \/api\/cart/ })
      .waitFor();
    const before = hits('/api/cart');
    const tab = await browser.context.newPage();
    const response = await tab.goto(`http://${HOST}:${serve.httpPort}/api/cart`);
    expect(response?.status()).toBe(500);
    expect(await response?.text()).toBe('{"error":"boom"}');
    await tab.close();
    expect(hits('/api/cart')).toBe(before);
  });

  it('the rule editor: a new rule, its enable switch and its place in the order decide', async () => {
    await page().getByRole('button', { name: 'New rule' }).click();
    const dialog = page().getByRole('dialog');
    await dialog.getByLabel('id', { exact: true }).fill('api-down');
    await dialog.getByLabel('pathPrefix', { exact: true }).fill('/api');
    await dialog.getByLabel('action', { exact: true }).selectOption('fail');
    await dialog.getByLabel('fail.status', { exact: true }).fill('503');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await page().getByRole('listitem', { name: 'Rule api-down' }).waitFor();
    // The mock comes first: it still answers /api/cart; the new rule the rest of /api.
    expect((await get('/api/cart')).status).toBe(500);
    expect((await get('/api/other')).status).toBe(503);
    await page().getByRole('button', { name: 'Move api-down up' }).click();
    await page().getByRole('button', { name: 'Move api-down up' }).and(page().locator(':disabled')).waitFor();
    expect((await get('/api/cart')).status).toBe(503);
    await page().getByRole('switch', { name: 'Enable api-down' }).click();
    await page().getByRole('switch', { name: 'Enable api-down', checked: false }).waitFor();
    expect((await get('/api/cart')).status).toBe(500);
    await page()
      .getByRole('switch', { name: /Enable mock GET/ })
      .click();
    await page()
      .getByRole('switch', { name: /Enable mock GET/, checked: false })
      .waitFor();
    expect((await get('/api/cart')).status).toBe(200);
  });

  it('a request paused by "Break on this URL" gets a header added in the editor, and the backend receives it', async () => {
    expect((await get('/api/profile')).status).toBe(200);
    await openExchange('/api/profile');
    await page().getByRole('button', { name: 'Break on this URL' }).click();
    const dialog = page().getByRole('dialog');
    expect(await dialog.getByLabel('breakpoint', { exact: true }).inputValue()).toBe('request');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await page()
      .getByRole('listitem', { name: /Rule break on GET \/api\/profile/ })
      .waitFor();

    const before = hits('/api/profile');
    const reply = get('/api/profile');
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
    const editor = page()
      .getByRole('region', { name: 'Paused exchanges' })
      .getByRole('region', { name: /Paused request GET \/api\/profile/ });
    await editor.waitFor();
    await page()
      .getByRole('tab', { name: /1 paused/ })
      .waitFor();
    // The row of the paused exchange is highlighted.
    await page().getByRole('row').filter({ hasText: '/api/profile' }).and(page().locator('.paused')).waitFor();
    expect(hits('/api/profile')).toBe(before);
    const headers = editor.getByLabel('Headers');
    await headers.fill(`${await headers.inputValue()}\nx-debug: from-the-ui`);
    await editor.getByRole('button', { name: 'Resume with edits' }).click();
    const answered = await reply;
    expect(answered.status).toBe(200);
    expect((JSON.parse(answered.body) as { debug: string }).debug).toBe('from-the-ui');
    expect(backend.requests.at(-1)?.headers['x-debug']).toBe('from-the-ui');
    await editor.waitFor({ state: 'detached' });
  });

  it('the keyboard aborts a paused request (Ctrl+Backspace): the client sees it cut, the backend never sees it', async () => {
    const before = hits('/api/profile');
    const reply = get('/api/profile').then(
      () => 'answered',
      () => 'cut',
    );
    const editor = page().getByRole('region', { name: /Paused request GET \/api\/profile/ });
    await editor.getByLabel('Headers').focus();
    await page().keyboard.press('Control+Backspace');
    expect(await reply).toBe('cut');
    await editor.waitFor({ state: 'detached' });
    expect((await get('/api/after-abort')).status).toBe(200);
    expect(hits('/api/profile')).toBe(before);
  });

  it('"Edit and resend" sends the edited request through the route and links the new exchange to the old', async () => {
    expect((await get('/api/items?page=1')).status).toBe(200);
    await openExchange('/api/items?page=1');
    await page().getByRole('button', { name: 'Edit and resend' }).click();
    const composer = page().getByRole('dialog', { name: 'Edit and resend' });
    expect(await composer.getByLabel('URL (path and query)').inputValue()).toBe('/api/items?page=1');
    await composer.getByLabel('Method').fill('POST');
    await composer.getByLabel('URL (path and query)').fill('/api/items?page=2');
    const headers = composer.getByLabel('Headers');
    await headers.fill(`${await headers.inputValue()}\nx-debug: resent\ncontent-type: application/json`);
    await composer.getByLabel('Body').fill('{"qty":3}');
    await composer.getByRole('button', { name: 'Send' }).click();
    await composer.getByText('Answered 200.').waitFor();
    const last = backend.requests.at(-1)!;
    expect([last.method, last.url, last.headers['x-debug'], last.headers['content-length']]).toEqual(['POST', '/api/items?page=2', 'resent', '9']);
    const original = await page().getByRole('row', { selected: true }).getAttribute('id');
    await composer.getByRole('button', { name: /Show exchange #/ }).click();
    const details = page().getByRole('region', { name: 'Request details' });
    await details.getByText('/api/items?page=2').first().waitFor();
    await details.getByRole('button', { name: `Resent from #${original!.slice(2)}` }).click();
    await details.getByText('/api/items?page=1').first().waitFor();
    expect(browser.problems).toEqual([]);
  });
});
