// UI performance bench. The full run is part of `npm run bench`; by hand:
//   npm run build && node test/bench/ui-bench.mjs
// UI_BENCH_SMOKE=1 runs a short version (2,000 rows, 1 s of stream) that fails (exit 1)
// when it cannot drive the page; the test suite runs it (test/e2e/ui-bench-smoke.test.ts).
//
// Loads the built renderer (renderer/dist) in Debian's Chromium with a fake `window.portico`
// bridge, so the renderer runs its real IPC transport, store, frame queue and virtualized
// list, while the bench controls exactly what arrives:
//   1. 100,000 exchanges from traffic.list: time until the list shows them, then 5 s of
//      scrolling (a step every frame, the way a flung trackpad scrolls);
//   2. 2,000 new exchanges per second for 10 s as `traffic` batches every 50 ms (the engine's
//      batching), into an empty list and on top of 100,000 with the oldest evicted;
//   3. the same stream with a text filter active.
// Measured in the page with the Performance API: frame intervals (requestAnimationFrame),
// long tasks (PerformanceObserver 'longtask', ≥ 50 ms), and how far behind the list is
// when the stream stops (time until the count shows every exchange sent).
/* global window, document, requestAnimationFrame -- functions passed to page.evaluate run in the page */
import http from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ConfigSchema } from '../../out/proxy-core/contract/index.js';
import { watchCpu } from './ui-cpu.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = path.join(ROOT, 'renderer/dist');
const CHROMIUM = process.env.PORTICO_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}`);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => {
  const file = path.join(DIST, req.url === '/' ? 'index.html' : decodeURIComponent(req.url.split('?')[0]));
  if (!file.startsWith(DIST) || !existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

// Runs in the page before the renderer: the fake bridge and the measuring tools.
function pageSetup(config) {
  const hosts = ['shop.localhost', 'api.shop.localhost', 'admin.localhost', 'cdn.shop.localhost'];
  let next = 0;
  const make = (t) => {
    const i = next++;
    return {
      id: `x${i}`,
      kind: 'http',
      startedAt: t,
      timings: { connected: 0.4, firstByte: 4 + (i % 30), end: 5 + (i % 40) },
      state: 'done',
      client: '127.0.0.1',
      scheme: i % 3 ? 'https' : 'http',
      httpVersion: i % 3 ? '2.0' : '1.1',
      method: i % 7 === 0 ? 'POST' : 'GET',
      host: hosts[i % hosts.length],
      url: `/api/items/${i}?page=${i % 13}`,
      route: 'shop.localhost',
      target: 'http://127.0.0.1:3000',
      status: i % 50 === 0 ? 500 : i % 17 === 0 ? 304 : 200,
      // A summary, as the engine sends: no header lists (traffic.get has them).
      contentType: 'application/json; charset=utf-8',
      contentEncoding: i % 4 ? 'br' : 'gzip',
      request: { size: 0, captured: 0, truncated: false },
      response: { size: 100 + (i % 900), captured: 100 + (i % 900), truncated: false },
      marks: {},
      messageCount: 0,
    };
  };
  const listeners = new Set();
  let initial = [];
  const ok = (result) => Promise.resolve({ ok: true, result });
  // The engine's own defaults (the schema's), so the views find every setting they read.
  const { routes: _routes, ...settings } = config ?? { capture: {} };
  settings.capture = { ...settings.capture, maxExchanges: 200000 };
  const status = {
    version: 'bench',
    http: { host: '127.0.0.1', port: 80 },
    https: { host: '127.0.0.1', port: 443 },
    dataDir: '/tmp',
    configFile: '/tmp/config.json',
    capture: { enabled: true, paused: false, exchanges: 0, bytes: 0 },
  };
  const bridge = {
    version: 'bench',
    status: () => ok(status),
    'routes.list': () => ok([{ id: 'a', host: 'shop.localhost', target: 'http://127.0.0.1:3000', enabled: true, https: 'both', changeOrigin: false }]),
    'settings.get': () => ok(settings),
    'ca.info': () => Promise.resolve({ ok: false, error: { message: 'no CA in the bench' } }),
    'traffic.list': () => ok(initial),
    // The engine's header search runs in the engine, off this page's main thread: the fake
    // answers at once with no header matches (the URL matches are the renderer's own work).
    'traffic.search': () => ok({ ids: [] }),
    onEvent: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
  };
  // Commands the bench does not fake fail, as an engine without them would.
  const unknown = (name) => () => Promise.resolve({ ok: false, error: { message: `${String(name)} is not faked by the bench` } });
  // Without a config the page talks to a real `portico serve` (UI_BENCH_SERVE): no bridge.
  if (config) window.portico = new Proxy(bridge, { get: (target, name) => target[name] ?? unknown(name) });

  window.bench = {
    preload(n) {
      const t = Date.now() - n;
      initial = Array.from({ length: n }, (_, i) => make(t + i));
    },
    sent: 0,
    /**
     * Streams `perSecond` new exchanges for `seconds`, a batch every 50 ms like the engine.
     * Time-based: a late tick (the page was busy) sends everything owed since the last one,
     * so the rate holds however slow the page gets. Evicts the oldest above `keep`.
     */
    stream(perSecond, seconds, keep = Infinity) {
      return new Promise((resolve) => {
        const start = performance.now();
        const total = perSecond * seconds;
        let sent = 0;
        const timer = setInterval(() => {
          const now = performance.now();
          const due = Math.min(total, Math.floor(((now - start) / 1000) * perSecond)) - sent;
          const t = Date.now();
          const finished = Array.from({ length: due }, () => make(t));
          const evicted = [];
          while (next - window.bench.oldest > keep) evicted.push(`x${window.bench.oldest++}`);
          for (const listener of listeners) listener({ event: 'traffic', data: { started: [], updated: [], finished, evicted } });
          sent += due;
          window.bench.sent += due;
          if (sent >= total) {
            clearInterval(timer);
            resolve(performance.now() - start);
          }
        }, 50);
      });
    },
    oldest: 0,
    /** Frame intervals and long tasks between start() and stop(). */
    start() {
      const m = (window.bench.measure = { frames: [], longTasks: [], lags: [], keys: [], running: true });
      // Main-thread lag: how late a 10 ms timer fires (what any input would wait).
      let due = performance.now() + 10;
      const lag = () => {
        const now = performance.now();
        m.lags.push(Math.max(0, now - due));
        due = now + 10;
        if (m.running) setTimeout(lag, 10);
      };
      setTimeout(lag, 10);
      // Key to paint: from the key event's creation to the frame after its input ran.
      m.onInput = (e) => {
        const at = e.timeStamp;
        requestAnimationFrame(() => m.keys.push(performance.now() - at));
      };
      document.addEventListener('input', m.onInput, true);
      let last = performance.now();
      const loop = (now) => {
        m.frames.push(now - last);
        last = now;
        if (m.running) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
      m.observer = new PerformanceObserver((list) => m.longTasks.push(...list.getEntries().map((e) => e.duration)));
      m.observer.observe({ type: 'longtask' });
    },
    stop() {
      const m = window.bench.measure;
      m.running = false;
      m.observer.disconnect();
      document.removeEventListener('input', m.onInput, true);
      const f = [...m.frames].sort((a, b) => a - b);
      const q = (p) => f[Math.min(f.length - 1, Math.floor(f.length * p))] ?? 0;
      const lags = [...m.lags].sort((a, b) => a - b);
      return {
        lagP99: lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))] ?? 0,
        keys: m.keys.length,
        keyMax: Math.max(0, ...m.keys),
        frames: f.length,
        fps: f.length / (m.frames.reduce((a, b) => a + b, 0) / 1000),
        p50: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
        max: f.at(-1) ?? 0,
        over33: f.filter((x) => x > 33.4).length,
        longTasks: m.longTasks.length,
        longTaskMax: Math.max(0, ...m.longTasks),
        longTaskTotal: m.longTasks.reduce((a, b) => a + b, 0),
      };
    },
    /** Scrolls the list by `step` px every frame for `ms`, bouncing at the ends. */
    scroll(ms, step) {
      const el = document.querySelector('.tscroll');
      return new Promise((resolve) => {
        const end = performance.now() + ms;
        let dir = 1;
        const tick = () => {
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) dir = -1;
          if (el.scrollTop <= 0) dir = 1;
          el.scrollTop += dir * step;
          if (performance.now() < end) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
    },
  };
}

const profile = await mkdtemp(path.join(tmpdir(), 'portico-ui-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  viewport: { width: 1440, height: 900 },
});
const errors = [];
const SERVE = Boolean(process.env.UI_BENCH_SERVE);
await context.addInitScript(pageSetup, SERVE ? null : ConfigSchema.parse({}));

const ms = (x) => `${x.toFixed(1)} ms`;
const report = (name, r) =>
  console.log(
    `${name.padEnd(46)} lag p99 ${ms(r.lagP99)}  fps ${r.fps.toFixed(0).padStart(3)}  frame p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  max ${ms(r.max)}  ` +
      `long tasks ${r.longTasks} (max ${ms(r.longTaskMax)}, total ${ms(r.longTaskTotal)})` +
      (r.keys ? `  key→paint max ${ms(r.keyMax)} (${r.keys} keys)` : ''),
  );

/** A fresh page with `preload` exchanges waiting in traffic.list, on the Traffic view. */
async function open(preload) {
  const page = await context.newPage();
  page.on('pageerror', (e) => (errors.push(e.message), process.env.UI_BENCH_DEBUG && console.log('pageerror:', e.message)));
  page.on('console', (m) => process.env.UI_BENCH_DEBUG && console.log('page:', m.text()));
  await page.addInitScript((n) => window.bench.preload(n), preload);
  const t0 = Date.now();
  await page.goto(url);
  await page.getByRole('tab', { name: /Traffic/ }).click();
  await shown(page, preload);
  return { page, loadMs: Date.now() - t0 };
}

const shown = (page, n) =>
  page.waitForFunction((n) => document.querySelector('.toolbar [data-total]')?.dataset.total === String(n), n, { timeout: 120_000, polling: 'raf' });

/**
 * The page's JavaScript heap after a full collection: what keeping the listed rows costs
 * (every major collection walks it, so it is also what a late frame is made of).
 */
async function heapLine(page, rows) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return `page heap with ${rows.toLocaleString('en')} rows listed: ${(usedSize / 1e6).toFixed(1)} MB (${((usedSize / rows) | 0).toLocaleString('en')} bytes per row, page included)`;
}

/**
 * UI_BENCH_PROFILE=1: a CPU profile of each streaming phase, the top functions by self time.
 * UI_BENCH_TRACE=1: a Chromium performance trace instead, the time per kind of main-thread
 * event (script, style, layout, paint…) and the longest tasks. UI_BENCH_LOAF=1: the long
 * animation frames instead (longFrames below).
 */
async function profiled(page, run) {
  if (process.env.UI_BENCH_TRACE) return traced(page, run);
  if (process.env.UI_BENCH_LOAF) return longFrames(page, run);
  if (!process.env.UI_BENCH_PROFILE) return run();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const result = await run();
  const { profile: p } = await cdp.send('Profiler.stop');
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  p.samples.forEach((id, i) => {
    const { functionName, url: file, lineNumber, columnNumber } = nodes.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${file.split('/').pop()}:${lineNumber + 1}:${columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  // Inclusive time too (a function and everything it called), for the renderer's own code.
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map();
  p.samples.forEach((id, i) => {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url: file } = nodes.get(at).callFrame;
      if (!file.includes('/assets/') || !functionName || seen.has(functionName)) continue;
      seen.add(functionName);
      total.set(functionName, (total.get(functionName) ?? 0) + (p.timeDeltas[i] ?? 0));
    }
  });
  console.log(
    '    inclusive: ' +
      [...total]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 16)
        .map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`)
        .join(', '),
  );
  return result;
}

/**
 * UI_BENCH_LOAF=1: every animation frame over 50 ms during the phase (Chromium's Long
 * Animation Frames API): when it began, how long its rendering and its style and layout
 * took, and which scripts ran in it, for how long. Tells a frame late for its own script
 * from one late for rendering (or for a collection that ran inside a script).
 */
async function longFrames(page, run) {
  await page.evaluate(() => {
    window.benchLongFrames?.observer.disconnect();
    const frames = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration <= 50) continue;
        const end = e.startTime + e.duration;
        frames.push({
          at: e.startTime - t0,
          ms: e.duration,
          render: e.renderStart ? end - e.renderStart : 0,
          styleLayout: e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((x) => `${x.invoker}${x.sourceFunctionName ? ` ${x.sourceFunctionName}` : ''} ${x.duration.toFixed(0)} ms`),
        });
      }
    });
    const t0 = performance.now();
    observer.observe({ type: 'long-animation-frame' });
    window.benchLongFrames = { observer, frames };
  });
  const result = await run();
  const frames = await page.evaluate(() => (window.benchLongFrames.observer.disconnect(), window.benchLongFrames.frames));
  for (const f of frames) {
    console.log(
      `    frame at ${(f.at / 1000).toFixed(2)} s: ${f.ms.toFixed(0)} ms, rendering ${f.render.toFixed(0)} (style and layout ${f.styleLayout.toFixed(0)}); scripts: ${f.scripts.join(', ') || 'none'}`,
    );
  }
  return result;
}

async function traced(page, run) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  const result = await run();
  await cdp.send('Tracing.end');
  await done;
  const main = events.filter((e) => e.ph === 'X' && e.dur !== undefined);
  const byName = new Map();
  for (const e of main) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur);
  for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`    ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  const tasks = main
    .filter((e) => e.name === 'RunTask')
    .sort((a, b) => b.dur - a.dur)
    .slice(0, 3);
  for (const t of tasks) {
    const inside = main.filter((e) => e.tid === t.tid && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t);
    const parts = new Map();
    for (const e of inside) parts.set(e.name, (parts.get(e.name) ?? 0) + e.dur);
    const top = [...parts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([n, us]) => `${n} ${(us / 1000).toFixed(0)}`)
      .join(', ');
    console.log(`    long task ${(t.dur / 1000).toFixed(0)} ms: ${top}`);
  }
  return result;
}

/**
 * Streams and reports frames, lag, long tasks and how far behind the list is at the end.
 * `typing`: text typed into the filter, a key every 150 ms, while the stream runs.
 */
async function stream(page, name, { perSecond, seconds, keep, expected, typing }) {
  await page.evaluate(() => window.bench.start());
  const typed = typing ? typeInto(page, typing) : Promise.resolve();
  const took = await profiled(page, () => page.evaluate(([r, s, k]) => window.bench.stream(r, s, k ?? Infinity), [perSecond, seconds, keep]));
  const stopped = Date.now();
  await typed;
  let catchUp;
  if (expected !== undefined) {
    await shown(page, expected);
    catchUp = Date.now() - stopped;
  }
  const r = await page.evaluate(() => window.bench.stop());
  report(name, r);
  console.log(
    `  sent ${perSecond * seconds} in ${(took / 1000).toFixed(1)} s` +
      (catchUp === undefined ? '' : `; the list showed them all ${catchUp} ms after the last batch`),
  );
  results.push({ name, ...r, catchUp });
  return r;
}

async function typeInto(page, text) {
  const box = page.getByLabel(FILTER_LABEL);
  await box.fill('');
  await box.focus();
  await page.keyboard.type(text, { delay: 150 });
}

/** The page at rest for `ms`: the baseline the stream figures are divided by. */
async function idle(page, ms) {
  await page.evaluate(() => window.bench.start());
  await page.waitForTimeout(ms);
  const r = await page.evaluate(() => window.bench.stop());
  report('no traffic (baseline)', r);
  return r;
}

const FILTER_LABEL = /^Filter by text/;
const SMOKE = Boolean(process.env.UI_BENCH_SMOKE);
const results = [];

if (SERVE) {
  try {
    await serveBench();
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    server.close();
  }
  process.exit(process.exitCode ?? 0);
}

/**
 * UI_BENCH_SERVE=1: the same figures through a real `portico serve` (engine and UI on the
 * same cores), its traffic sent by autocannon through the proxy to a small origin.
 */
async function serveBench() {
  const { default: autocannon } = await import('autocannon');
  const { spawn } = await import('node:child_process');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const origin = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'portico-ui-bench-serve-'));
  await mkdir(path.join(dataDir, 'home'));
  // The store keeps exactly the preloaded rows, so the flood evicts the oldest as it comes
  // (the steady state of the fake bridge's phases: 100,000 listed, new ones on top).
  const PRELOAD = Number(process.env.UI_BENCH_SERVE_PRELOAD ?? 100_000);
  const configFile = path.join(dataDir, 'bench-config.json');
  await writeFile(configFile, JSON.stringify({ capture: { maxExchanges: PRELOAD } }));
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'out/proxy-core/cli/main.js'),
      'serve',
      '--data-dir',
      dataDir,
      '--config',
      configFile,
      '--http-port',
      '0',
      '--https-port',
      '0',
      '--control-port',
      '0',
      '--route',
      `bench.localhost=http://127.0.0.1:${origin.address().port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: path.join(dataDir, 'home'), PORTICO_SYSROOT: dataDir } },
  );
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  try {
    const deadline = Date.now() + 30_000;
    while (!out.includes('Press Ctrl+C')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`portico serve did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const uiUrl = /^UI +(\S+)$/m.exec(out)[1];
    const httpPort = Number(/^HTTP +http:\/\/[^:]+:(\d+)$/m.exec(out)[1]);
    const load = (opts) =>
      new Promise((resolve, reject) =>
        autocannon({ url: `http://127.0.0.1:${httpPort}/api/items`, headers: { host: 'bench.localhost' }, connections: 16, ...opts }, (e, r) =>
          e ? reject(e) : resolve(r),
        ),
      );
    const RATE = 2_000;
    const SECONDS = 10;
    console.log(`through portico serve: ${PRELOAD.toLocaleString('en')} exchanges first, then ${RATE}/s for ${SECONDS} s (autocannon, 16 connections)\n`);
    // What the engine recorded, as its status says (autocannon's count includes cut-off requests).
    const token = new URL(uiUrl).searchParams.get('token');
    const engineCount = async () => {
      const reply = await fetch(new URL('/api/commands/status', uiUrl), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      return (await reply.json()).capture.exchanges;
    };
    // The preload runs before the page opens, as fast as the proxy goes (no window: the
    // engine builds no events), so 100,000 rows take seconds; the page then lists them.
    const p0 = Date.now();
    await load({ amount: PRELOAD, connections: 32 });
    console.log(`preloaded ${(await engineCount()).toLocaleString('en')} exchanges in ${Date.now() - p0} ms`);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = Date.now();
    await page.goto(uiUrl);
    await page.getByRole('tab', { name: /Traffic/ }).click();
    await page.locator('.trow').first().waitFor();
    const firstRows = Date.now() - t0;
    const listed = await engineCount();
    await shown(page, listed);
    console.log(`loaded and listed in ${Date.now() - t0} ms (navigation to every row listed; the newest rows were on screen after ${firstRows} ms)`);
    console.log(await heapLine(page, listed));
    const base = await idle(page, 3_000);
    const flood = async (name, typing, check) => {
      await page.evaluate(() => window.bench.start());
      const typed = typing ? typeInto(page, typing) : Promise.resolve();
      const cpu = watchCpu(child.pid);
      const r0 = await profiled(page, () => load({ overallRate: RATE, duration: SECONDS }));
      const used = cpu();
      const stopped = Date.now();
      await typed;
      let catchUp;
      if (check) {
        await shown(page, await engineCount());
        catchUp = Date.now() - stopped;
      }
      const r = await page.evaluate(() => window.bench.stop());
      report(name, r);
      console.log(
        `  sent ${r0.requests.total} in ${SECONDS} s (${r0.non2xx} non-2xx)` +
          (catchUp === undefined ? '' : `; the list showed them all ${catchUp} ms after the last response`),
      );
      console.log(`  ${used.line}`);
      results.push({ name: used.disturbed ? `${name} *` : name, ...r, catchUp });
    };
    // The fake bridge's phases, in the same order: following the bottom, scrolled up to the
    // middle, typing a filter, filtered (text and "errors only"), into an empty list.
    const label = `serve: ${RATE.toLocaleString('en')}/s for ${SECONDS} s`;
    await flood(`${label}, following`, undefined, true);
    await page.evaluate(() => {
      const el = document.querySelector('.tscroll');
      el.scrollTop = el.scrollHeight / 2;
    });
    await flood(`${label}, scrolled up`, undefined, true);
    await flood(`${label}, typing a filter`, 'items', false);
    await page.getByLabel('Errors only').check();
    await page.waitForTimeout(500);
    await flood(`${label}, filtered`, undefined, false);
    await page.getByLabel('Errors only').uncheck();
    await page.getByLabel(FILTER_LABEL).fill('');
    await fetch(new URL('/api/commands/traffic.clear', uiUrl), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await shown(page, 0);
    await flood(`${label}, into an empty list`, undefined, true);
    summary(base);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    origin.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function summary(base) {
  console.log('\ntargets: lag p99 ≤ 50 ms, frame p99 ≤ 50 ms, no task > 100 ms, key→paint ≤ 100 ms, every row shown ≤ 300 ms after the flood');
  if (results.some((r) => r.name.endsWith(' *'))) console.log('* disturbed: other processes used the CPU during that phase (UI_BENCH_SERVE only)');
  console.log(
    `${'phase'.padEnd(46)} ${'lag p99'.padStart(9)} ${'÷idle'.padStart(6)} ${'frame p99'.padStart(10)} ${'÷idle'.padStart(6)} ${'longest'.padStart(9)} ${'key→paint'.padStart(10)} ${'catch-up'.padStart(9)}`,
  );
  const ratio = (a, b) => (b > 0 ? (a / b).toFixed(1) : '–');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(46)} ${ms(r.lagP99).padStart(9)} ${ratio(r.lagP99, base.lagP99).padStart(6)} ${ms(r.p99).padStart(10)} ${ratio(r.p99, base.p99).padStart(6)} ` +
        `${ms(r.longTaskMax).padStart(9)} ${(r.keys ? ms(r.keyMax) : '–').padStart(10)} ${(r.catchUp === undefined ? '–' : `${r.catchUp} ms`).padStart(9)}`,
    );
  }
}

try {
  const N = Number(process.env.UI_BENCH_N ?? (SMOKE ? 2_000 : 100_000));
  const RATE = SMOKE ? 500 : 2_000;
  const SECONDS = SMOKE ? 1 : 10;
  const flood = { perSecond: RATE, seconds: SECONDS };
  const label = `${RATE.toLocaleString('en')}/s for ${SECONDS} s on ${(N / 1000).toLocaleString('en')}k`;
  console.log(`Chromium ${context.browser()?.version() ?? ''} headless, software rendering, viewport 1440×900, ${N.toLocaleString('en')} exchanges\n`);

  // 1. Load and scroll.
  const first = await open(N);
  console.log(`loaded and listed in ${first.loadMs} ms (navigation to rows on screen); DOM rows: ${await first.page.locator('.trow').count()}`);
  console.log(await heapLine(first.page, N));
  const base = await idle(first.page, SMOKE ? 500 : 3_000);
  if (!SMOKE) {
    for (const step of [400, 4_000]) {
      await first.page.evaluate(() => window.bench.start());
      await first.page.evaluate((step) => window.bench.scroll(5_000, step), step);
      report(`scroll, ${step.toLocaleString('en')} px per frame, 5 s`, await first.page.evaluate(() => window.bench.stop()));
    }
  }

  // 2. Streams on top of N, the oldest evicted (steady state N), following the bottom...
  await first.page.evaluate(() => {
    window.bench.oldest = 0;
    const el = document.querySelector('.tscroll');
    el.scrollTop = el.scrollHeight;
  });
  await stream(first.page, `${label}, following`, { ...flood, keep: N, expected: N });
  if (!SMOKE) {
    // ...scrolled up to the middle (rows stay put while older ones are evicted)...
    await first.page.evaluate(() => {
      const el = document.querySelector('.tscroll');
      el.scrollTop = el.scrollHeight / 2;
    });
    await stream(first.page, `${label}, scrolled up`, { ...flood, keep: N, expected: N });
  }
  // ...typing a filter while it streams (key to paint)...
  await stream(first.page, `${label}, typing a filter`, { ...flood, keep: N, typing: 'items/1' });
  // ...and with a text filter and "errors only" on.
  await first.page.getByLabel('Errors only').check();
  await first.page.waitForTimeout(500);
  await stream(first.page, `${label}, filtered`, { ...flood, keep: N });
  const filteredRows = await first.page.locator('.trow').count();
  await first.page.close();

  // 3. Into an empty list.
  const empty = await open(0);
  await stream(empty.page, `${RATE.toLocaleString('en')}/s for ${SECONDS} s into an empty list`, { ...flood, expected: RATE * SECONDS });
  await empty.page.close();

  summary(base);
  if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
  if (SMOKE) {
    // The smoke proves the bench still drives the page: rows listed, keys reached the filter.
    const problems = [];
    if (errors.length) problems.push('the page threw');
    if (!results.some((r) => r.keys > 0)) problems.push('no key typed into the filter reached the page');
    if (filteredRows === 0) problems.push('the filtered list showed no rows');
    if (problems.length) {
      console.error(`ui-bench smoke FAILED: ${problems.join('; ')}`);
      process.exitCode = 1;
    } else console.log('ui-bench smoke OK');
  }
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
  server.close();
}
