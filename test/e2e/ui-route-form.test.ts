// The route form as a new user meets it, in Chromium against a real `portico serve`. Basic
// auth never loses or half-applies a password: Save sets a password still typed in the
// fields, "Set password" then Cancel changes nothing, and switching auth off says it
// removes the users. A refused submit puts focus and the message on the field at fault,
// worded about this route rather than about the config file.
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../proxy-core/contract/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { openBrowser, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the route auth form test: ${missing}`);

const basic = (user: string, password: string): http.OutgoingHttpHeaders => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe.skipIf(missing !== undefined)('the route form', { timeout: 60_000 }, () => {
  let backend: Backend;
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;
  const dialog = () => page().getByRole('dialog');
  const command = async <T = unknown>(name: string, body?: unknown): Promise<T> => {
    const token = new URL(serve.uiUrl).searchParams.get('token');
    const reply = await fetch(new URL(`/api/commands/${name}`, serve.uiUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return (await reply.json()) as T;
  };
  const users = async (host: string) => Object.keys((await command<Route[]>('routes.list')).find((r) => r.host === host)?.auth?.basic.users ?? {});
  const send = (host: string, headers: http.OutgoingHttpHeaders = {}) => request(serve.httpPort, { host, headers });
  const edit = async (host: string) => {
    await page().getByRole('button', { name: `Edit ${host}` }).click();
    await dialog().waitFor();
  };

  beforeAll(async () => {
    backend = await startBackend('app');
    serve = await startServe();
    browser = await openBrowser();
    page().setDefaultTimeout(15_000);
    await page().goto(serve.uiUrl);
    await page().getByRole('button', { name: 'Add route', exact: true }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await backend?.close();
  });

  it('Save sets a password typed but not added with "Set password"', async () => {
    await command('routes.create', { id: 'typed', host: 'typed.localhost', target: backend.url });
    await edit('typed.localhost');
    await dialog().getByLabel('Basic auth').selectOption('on');
    await dialog().getByLabel('User', { exact: true }).fill('ada');
    await dialog().getByLabel('Password', { exact: true }).fill('s3cret pass');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(() => users('typed.localhost')).toEqual(['ada']);
    expect((await send('typed.localhost')).status).toBe(401);
    expect((await send('typed.localhost', basic('ada', 's3cret pass'))).status).toBe(200);
  });

  it('"Set password" then Cancel changes nothing', async () => {
    await edit('typed.localhost');
    await dialog().getByLabel('User', { exact: true }).fill('bob');
    await dialog().getByLabel('Password', { exact: true }).fill('other pass');
    await dialog().getByRole('button', { name: 'Set password' }).click();
    await dialog().getByRole('list', { name: 'Users' }).getByText('bob').waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await users('typed.localhost')).toEqual(['ada']);
    expect((await send('typed.localhost', basic('bob', 'other pass'))).status).toBe(401);
  });

  it('a user name without a password is refused at Save, beside the field', async () => {
    await edit('typed.localhost');
    await dialog().getByLabel('User', { exact: true }).fill('carol');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().getByText('Type a password for carol, or clear the user name').waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('switching auth off says it removes the users', async () => {
    await edit('typed.localhost');
    await dialog().getByLabel('Basic auth').selectOption('off');
    await dialog().getByText(/Saving with Basic auth off removes this route.s user \(\s*ada\) and their passwords/).waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await users('typed.localhost')).toEqual(['ada']);
  });

  const focusedId = () => page().evaluate('document.activeElement ? document.activeElement.id : ""');

  it('a bad field: focus goes to it, it is marked invalid, and its message is beside it', async () => {
    await page().setViewportSize({ width: 1100, height: 420 }); // a dialog taller than the window
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    await dialog().getByLabel('Host', { exact: true }).fill('form.localhost');
    await dialog().getByLabel('Target', { exact: true }).fill('localhost:3000');
    await dialog().getByRole('button', { name: 'Add route' }).click();
    await expect.poll(focusedId).toBe('route-target0');
    const target = dialog().getByLabel('Target', { exact: true });
    expect(await target.getAttribute('aria-invalid')).toBe('true');
    expect(await target.isVisible()).toBe(true);
    await dialog().locator('#route-target0-error').getByText(/write "http:\/\/localhost:3000"/).waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('a refusal from Portico is worded for people and placed beside the field, which gets focus', async () => {
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    await dialog().getByLabel('Host', { exact: true }).fill('typed.localhost');
    await dialog().getByLabel('Target', { exact: true }).fill(backend.url);
    await dialog().getByRole('button', { name: 'Add route' }).click();
    await dialog().locator('#route-host-error').getByText('typed.localhost already has a route for every path').waitFor();
    await expect.poll(focusedId).toBe('route-host');
    expect(await dialog().getByLabel('Host', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await dialog().textContent()).not.toMatch(/routes\[\d+\]/);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    await page().setViewportSize({ width: 1280, height: 800 });
  });

  it('a .dev host is refused with a pointer to Settings, where the CA names are edited with their caveats', async () => {
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    await dialog().getByLabel('Host', { exact: true }).fill('shop.dev');
    await dialog().getByLabel('Target', { exact: true }).fill(backend.url);
    await dialog().getByRole('button', { name: 'Add route' }).click();
    await dialog().locator('#route-host-error').getByText(/add "dev" to the CA names in Settings \(Certificate names\)/).waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });

    await page().getByRole('tab', { name: 'Settings' }).click();
    const names = page().getByLabel('Suffixes the local CA may sign for');
    expect(await names.inputValue()).toBe('localhost, test');
    await names.fill('localhost, test, dev');
    await page().getByText('.dev is HSTS-preloaded').waitFor();
    await page().getByText(/Changing the list makes a new root when Portico next starts/).waitFor();
    await page().getByRole('button', { name: 'Save CA names' }).click();
    await expect.poll(async () => (await command<{ ca: { suffixes: string[] } }>('settings.get')).ca.suffixes).toEqual(['localhost', 'test', 'dev']);
    await page().getByRole('tab', { name: 'Routes' }).click();
    await page().getByRole('button', { name: 'Add route', exact: true }).click();
    await dialog().getByLabel('Host', { exact: true }).fill('shop.dev');
    await dialog().getByLabel('Target', { exact: true }).fill(backend.url);
    await dialog().getByRole('button', { name: 'Add route' }).click();
    await dialog().waitFor({ state: 'detached' });
    await page().getByRole('listitem', { name: 'shop.dev' }).waitFor();
  });

  it('logged no console errors and no CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
