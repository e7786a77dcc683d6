// The built desktop app, launched for real through Playwright's `_electron`: the window
// opens on the bundled UI, the page sees `window.portico` (exactly the contract's
// methods) and no Node, a command goes through IPC to the in-process engine and back,
// and window.open is refused. (Page code below says `globalThis`: tests have no DOM types.)
//
// It needs the Electron binary, which the `electron` npm package downloads on first use.
// Where it is missing this suite skips and says why; it never triggers the download
// (`require('electron')` would, so the binary path is worked out here instead).
//
// Run `npm run build` first (main, preload and the renderer bundle); on Linux without a
// display, under `xvfb-run`.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../proxy-core/contract/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NO_BINARY = 'no Electron binary: the electron npm package fetches it on first launch and this machine cannot download it';

/** The Electron executable, found the way node_modules/electron/index.js finds it, minus the download. */
function electronBinary(): string | undefined {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const platformDefault = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformDefault;
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const full = override ? join(override, relative) : join(pkg, 'dist', relative);
  return existsSync(full) ? full : undefined;
}

function whySkip(): string | undefined {
  if (!electronBinary()) return NO_BINARY;
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return 'no display to open a window on: run this under xvfb-run';
  }
  return undefined;
}

const skipReason = whySkip();

it.runIf(skipReason !== undefined)('the Electron smoke test is skipped', (ctx) => {
  ctx.skip(skipReason);
});

describe.skipIf(skipReason !== undefined)('the desktop app', () => {
  let dataDir: string;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    for (const built of ['out/electron/main.js', 'out/electron/preload.cjs', 'renderer/dist/index.html']) {
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before the Electron smoke test`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'portico-electron-'));
    // Port 0: never the user's 80/443, never clashing with a running Portico.
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ http: { port: 0 }, https: { port: 0 } }));
    // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer's
    // Electron sandbox (no Node in the preload) holds either way.
    const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT];
    app = await _electron.launch({
      executablePath: electronBinary()!,
      args,
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), PORTICO_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
      timeout: 30_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('opens one window on the bundled UI', async () => {
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toMatch(/^file:\/\/.*\/renderer\/dist\/index\.html/);
    expect(await page.title()).toBe('Portico');
  });

  it('gives the page exactly the contract methods, onEvent and version — and no Node', async () => {
    const surface = await page.evaluate(() => {
      const w = globalThis as unknown as { portico?: Record<string, unknown>; require?: unknown; process?: unknown };
      return {
        keys: Object.keys(w.portico ?? {}).sort(),
        version: w.portico?.['version'],
        require: typeof w.require,
        process: typeof w.process,
      };
    });
    expect(surface.keys).toEqual([...COMMAND_NAMES, 'onEvent', 'version'].sort());
    expect(surface.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(surface.require).toBe('undefined');
    expect(surface.process).toBe('undefined');
  });

  it('runs a command through IPC against the in-process engine', async () => {
    const status = await page.evaluate(() => (globalThis as unknown as { portico: { status(): Promise<unknown> } }).portico.status());
    expect(status).toMatchObject({ ok: true, result: { http: { port: expect.any(Number) } } });
    expect((status as { result: { dataDir: string } }).result.dataDir).toBe(dataDir);

    const invalid = await page.evaluate(() =>
      (globalThis as unknown as { portico: Record<string, (input: unknown) => Promise<unknown>> }).portico['routes.create']!({ host: '' }),
    );
    expect(invalid).toMatchObject({ ok: false, error: { message: expect.any(String), issues: expect.any(Array) } });
  });

  it('refuses window.open', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });
});
