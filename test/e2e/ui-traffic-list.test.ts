// The Traffic list in Chromium against `portico serve`: what the text filter matches, the
// columns (scheme, sorting, kept beside the detail when there is room), start-time order,
// the pause bar, Clear with Undo, the split between list and detail, tabs that keep still.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../helpers/backend.js';
import { request } from '../helpers/request.js';
import { connectH2 } from '../helpers/tls.js';
import { dismissToasts, openBrowser, startServe, uiTestsMissing, type Browser, type Serve } from '../helpers/ui.js';

const missing = uiTestsMissing();
if (missing) console.warn(`skipping the Traffic list test: ${missing}`);

describe.skipIf(missing !== undefined)('the Traffic list', { timeout: 60_000 }, () => {
  let backend: Backend;
  let serve: Serve;
  let browser: Browser;
  const page = () => browser.page;
  const grid = () => page().getByRole('grid', { name: 'Traffic' });
  const rowPaths = () => grid().locator('.trow .c-path').allTextContents();
  const filter = () => page().getByLabel('Filter by text in the URL, headers and marks');
  const get = (urlPath: string, headers: Record<string, string> = {}) => request(serve.httpPort, { host: 'app.localhost', path: urlPath, headers });
  const api = async (command: string, body?: unknown) => {
    const token = new URL(serve.uiUrl).searchParams.get('token');
    const reply = await fetch(new URL(`/api/commands/${command}`, serve.uiUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await reply.json()) as unknown;
  };
  const engineUrls = async () => ((await api('traffic.list')) as { url: string }[]).map((x) => x.url);
  const clearAll = async () => {
    await api('traffic.clear');
    await expect.poll(() => grid().locator('.trow').count()).toBe(0);
  };

  beforeAll(async () => {
    backend = await startBackend('app', (req, res) => {
      req.resume();
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'text/plain' }).end('ok');
    });
    serve = await startServe(['--route', `app.localhost=${backend.url}`]);
    browser = await openBrowser({ width: 1900, height: 900 });
    await page().goto(serve.uiUrl);
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.close();
    await backend?.close();
  });

  it('filters on header names and values and marks, not on HTTP/2 pseudo-headers unless asked with header:', async () => {
    await clearAll();
    const ca = await readFile(path.join(serve.dataDir, 'ca', 'root.pem'), 'utf8');
    const h2 = await connectH2(serve.httpsPort!, 'app.localhost', ca);
    expect((await h2.request({ ':path': '/over-h2' })).status).toBe(200);
    await h2.close();
    await get('/with-credentials', { authorization: 'Bearer abc' });
    await expect.poll(() => grid().locator('.trow').count()).toBe(2);
    await filter().fill('auth');
    await expect.poll(rowPaths).toEqual(['/with-credentials']);
    await filter().fill('header: :authority');
    await expect.poll(rowPaths).toEqual(['/over-h2']);
    await filter().fill('');
  });

  it('shows the scheme so the HTTP and HTTPS rows of one host differ', async () => {
    await expect
      .poll(() => grid().locator('.trow .c-host').allTextContents())
      .toEqual([expect.stringMatching(/^https:\/\/app\.localhost/), 'http://app.localhost']);
  });

  it('lists rows by start time: an exchange imported from yesterday goes above today’s', async () => {
    const har = (await api('traffic.exportHar', { sensitive: true })) as { log: { entries: { startedDateTime: string; request: { url: string } }[] } };
    const entry = har.log.entries[0]!;
    entry.startedDateTime = new Date(Date.now() - 86_400_000).toISOString();
    entry.request.url = entry.request.url.replace(/\/[^/]*$/, '/from-yesterday');
    har.log.entries = [entry];
    await api('traffic.importHar', har);
    await expect.poll(rowPaths).toEqual(['/from-yesterday', '/over-h2', '/with-credentials']);
  });

  it('a page opened on more rows than its first load lists them all, the newest first', async () => {
    await clearAll();
    await get('/template');
    await expect.poll(() => grid().locator('.trow').count()).toBe(1);
    const har = (await api('traffic.exportHar', { sensitive: true })) as { log: { entries: { request: { url: string } }[] } };
    const [entry] = har.log.entries;
    har.log.entries = Array.from({ length: 2_500 }, (_, i) => ({
      ...entry!,
      request: { ...entry!.request, url: entry!.request.url.replace('/template', `/many-${i}`) },
    }));
    expect(await api('traffic.importHar', har)).toEqual({ imported: 2_500 });
    // What the page asks the engine for, as sent on its WebSocket.
    const asked: unknown[] = [];
    page().on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { method?: string; params?: unknown };
        if (message.method === 'traffic.list') asked.push(message.params ?? 'everything');
      }),
    );
    await page().reload();
    await page()
      .getByRole('tab', { name: /Traffic/ })
      .click();
    const total = page().locator('[data-total]');
    await expect.poll(() => total.getAttribute('data-total'), { timeout: 10_000 }).toBe('2501');
    // Following the bottom: the newest rows, those the first load brought.
    await expect.poll(async () => (await rowPaths()).at(-1)).toBe('/many-2499');
    expect(asked).toEqual([{ limit: 2_000 }, 'everything']);
    await dismissToasts(page());
  });

  it('sorts by a column when its header is clicked: ascending, descending, then start-time order again', async () => {
    await clearAll();
    for (const p of ['/a', '/missing-b', '/c']) await get(p);
    await expect.poll(rowPaths).toEqual(['/a', '/missing-b', '/c']);
    const status = page().getByRole('columnheader', { name: /Status/ });
    await status.getByRole('button').click();
    await expect.poll(() => status.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(rowPaths).toEqual(['/a', '/c', '/missing-b']);
    await status.getByRole('button').click();
    await expect.poll(() => status.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(rowPaths).toEqual(['/missing-b', '/a', '/c']);
    await status.getByRole('button').click();
    await expect.poll(rowPaths).toEqual(['/a', '/missing-b', '/c']);
  });

  it('keeps Time, Type, Size and Marks beside the detail on a wide window, and the split moves', async () => {
    await grid().getByRole('row').filter({ hasText: '/c' }).click();
    await page().getByRole('region', { name: 'Request details' }).waitFor();
    for (const name of ['Time', 'Type', 'Size', 'Marks']) await expect.poll(() => page().getByRole('columnheader', { name }).isVisible()).toBe(true);
    const separator = page().getByRole('separator', { name: 'Resize the list and the details' });
    const before = Number(await separator.getAttribute('aria-valuenow'));
    const widthBefore = (await grid().boundingBox())!.width;
    await separator.focus();
    for (let i = 0; i < 5; i++) await page().keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await separator.getAttribute('aria-valuenow'))).toBe(before + 10);
    await expect.poll(async () => (await grid().boundingBox())!.width).toBeGreaterThan(widthBefore + 100);
    await page().getByRole('button', { name: 'Close details' }).click();
  });

  it('says "Capture paused" over the list while paused, rows or not', async () => {
    await page().getByRole('button', { name: 'Pause capture' }).click();
    await page().getByRole('status').filter({ hasText: 'Capture paused' }).waitFor();
    expect(await grid().locator('.trow').count()).toBeGreaterThan(0);
    await page().getByRole('button', { name: 'Resume capture' }).click();
    await expect.poll(() => page().getByRole('status').filter({ hasText: 'Capture paused' }).count()).toBe(0);
  });

  it('Clear can be undone; once the undo time is over the engine forgets the cleared rows but keeps newer ones', async () => {
    await page().getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => grid().locator('.trow').count()).toBe(0);
    await page().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(rowPaths).toEqual(['/a', '/missing-b', '/c']);
    await page().getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => grid().locator('.trow').count()).toBe(0);
    await get('/after-clear');
    await expect.poll(rowPaths).toEqual(['/after-clear']);
    await expect.poll(engineUrls, { timeout: 20_000 }).toEqual(['/after-clear']);
    expect(await rowPaths()).toEqual(['/after-clear']);
    await dismissToasts(page());
  });

  it('keeps the tabs where they are as the traffic count grows', async () => {
    await clearAll();
    await get('/one');
    await expect.poll(() => grid().locator('.trow').count()).toBe(1);
    const tab = page().getByRole('tab', { name: 'Certificates' });
    const before = (await tab.boundingBox())!.x;
    await Promise.all(Array.from({ length: 120 }, (_, i) => get(`/many/${i}`)));
    await expect
      .poll(() =>
        page()
          .getByRole('tab', { name: /Traffic/ })
          .textContent(),
      )
      .toContain('121');
    expect((await tab.boundingBox())!.x).toBe(before);
  });

  it('following the bottom, new rows reuse the row elements in view instead of replacing them', async () => {
    await clearAll();
    for (let i = 0; i < 80; i++) await get(`/first/${i}`);
    await expect.poll(() => rowPaths()).toContain('/first/79');
    // Marks the elements themselves (a property, not an attribute React could reset).
    const marked = await grid()
      .locator('.trow')
      .evaluateAll((rows) => rows.map((row) => ((row as unknown as { mark: boolean }).mark = true)).length);
    for (let i = 0; i < 80; i++) await get(`/second/${i}`);
    await expect.poll(() => rowPaths()).toContain('/second/79');
    const paths = await rowPaths();
    expect(paths.some((p) => p.startsWith('/first/'))).toBe(false);
    const kept = await grid()
      .locator('.trow')
      .evaluateAll((rows) => rows.filter((row) => (row as unknown as { mark?: boolean }).mark).length);
    expect(kept).toBeGreaterThan(marked / 2);
  });

  it('typing into the filter while requests stream in settles on exactly the matching rows', async () => {
    await clearAll();
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming && i < 2_000; i++) await get(`/stream/${i}`);
    })();
    try {
      const total = page().locator('.toolbar [data-total]');
      await expect.poll(async () => Number(await total.getAttribute('data-total')), { timeout: 20_000 }).toBeGreaterThan(20);
      await filter().focus();
      await page().keyboard.type('stream/1', { delay: 60 });
    } finally {
      streaming = false;
      await stream;
    }
    const expected = (await engineUrls()).filter((u) => u.includes('stream/1'));
    expect(expected.length).toBeGreaterThan(1);
    await expect.poll(() => page().locator('.toolbar [data-shown]').getAttribute('data-shown'), { timeout: 10_000 }).toBe(String(expected.length));
    // Every matching row, in order: scroll through the list and collect what it shows.
    // (A string: the tests compile without DOM types.)
    const seen = (await page().evaluate(`new Promise((resolve) => {
      const el = document.querySelector('.tscroll');
      el.scrollTop = 0;
      const out = new Set();
      const step = () => {
        for (const cell of document.querySelectorAll('.trow .c-path')) out.add(cell.textContent);
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return resolve([...out]);
        el.scrollTop += el.clientHeight / 2;
        requestAnimationFrame(() => requestAnimationFrame(step));
      };
      requestAnimationFrame(() => requestAnimationFrame(step));
    })`)) as string[];
    expect(seen.filter((p) => !expected.includes(p))).toEqual([]);
    expect(seen.sort()).toEqual(expected.sort());
    expect(browser.problems).toEqual([]);
  });
  it('a header-only match typed during a stream is found through the engine, old rows and new', async () => {
    await filter().fill('');
    await clearAll();
    let streaming = true;
    // Every fifth request carries the text in a header only; no URL has it.
    const stream = (async () => {
      for (let i = 0; streaming && i < 2_000; i++) await get(`/tagged/${i}`, i % 5 === 0 ? { 'x-tag': `NEEDLE-${i}` } : {});
    })();
    try {
      const total = page().locator('.toolbar [data-total]');
      await expect.poll(async () => Number(await total.getAttribute('data-total')), { timeout: 20_000 }).toBeGreaterThan(20);
      await filter().focus();
      await page().keyboard.type('needle', { delay: 60 });
      // Keep streaming a little after the last key: rows that come after the question too.
      const typed = Number(await total.getAttribute('data-total'));
      await expect.poll(async () => Number(await total.getAttribute('data-total')), { timeout: 20_000 }).toBeGreaterThan(typed + 10);
    } finally {
      streaming = false;
      await stream;
    }
    // The list holds summaries: the headers it matched on are not in what it was sent.
    const [first] = (await api('traffic.list')) as Record<string, unknown>[];
    expect(first).not.toHaveProperty('requestHeaders');
    const expected = (await engineUrls()).filter((u) => Number(u.split('/').at(-1)) % 5 === 0);
    expect(expected.length).toBeGreaterThan(4);
    expect(((await api('traffic.search', { text: 'needle' })) as { ids: string[] }).ids).toHaveLength(expected.length);
    await expect.poll(() => page().locator('.toolbar [data-shown]').getAttribute('data-shown'), { timeout: 10_000 }).toBe(String(expected.length));
    await filter().fill('');
    expect(browser.problems).toEqual([]);
  });
});
