// The UI end to end: a real `portico serve` (the built CLI, in a child process) with its
// control server, and Debian's Chromium opening the printed UI address. Collects console
// errors and CSP violations so a test can insist there are none.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumMissing } from './chromium.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = path.join(ROOT, 'out/proxy-core/cli/main.js');
const UI_BUILD = path.join(ROOT, 'renderer/dist/index.html');

/** Why the UI tests cannot run here, or undefined. */
export function uiTestsMissing(): string | undefined {
  const missing = chromiumMissing();
  if (missing) return missing;
  if (!existsSync(MAIN) || !existsSync(UI_BUILD)) return 'the CLI or the UI is not built: run `npm run build` first';
  return undefined;
}

export interface Serve {
  /** The UI address with its token, as printed. */
  uiUrl: string;
  httpPort: number;
  httpsPort: number | undefined;
  dataDir: string;
  output(): string;
  close(): Promise<void>;
}

/** `portico serve` on free ports with a fresh data dir; resolves once it printed its banner. */
export async function startServe(args: string[] = []): Promise<Serve> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'portico-ui-'));
  // Trust stores and the hosts file the UI may touch live in the data dir, never this machine's.
  const home = path.join(dataDir, 'home');
  const sysroot = path.join(dataDir, 'sysroot');
  await mkdir(home, { recursive: true });
  await mkdir(path.join(sysroot, 'etc'), { recursive: true });
  const child: ChildProcess = spawn(
    process.execPath,
    [MAIN, 'serve', '--data-dir', dataDir, '--http-port', '0', '--https-port', '0', '--control-port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home, PORTICO_SYSROOT: sysroot } },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portico serve printed no banner in 20 s:\n${out}`)), 20_000);
    child.stdout!.on('data', () => {
      if (out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`portico serve exited (${code}):\n${out}`));
    });
  });
  const uiUrl = /^UI +(\S+)$/m.exec(banner)?.[1];
  const httpPort = Number(/^HTTP +http:\/\/[^:]+:(\d+)$/m.exec(banner)?.[1]);
  const httpsPort = /^HTTPS +https:\/\/[^:]+:(\d+)/m.exec(banner)?.[1];
  if (!uiUrl || !httpPort) throw new Error(`no UI or HTTP line in the banner:\n${banner}`);
  return {
    uiUrl,
    httpPort,
    httpsPort: httpsPort ? Number(httpsPort) : undefined,
    dataDir,
    output: () => out,
    async close() {
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const guard = setTimeout(() => child.kill('SIGKILL'), 8_000);
        await gone;
        clearTimeout(guard);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh headless Chromium profile with one page that records every problem. */
export async function openBrowser(options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'portico-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
    timeout: 30_000,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // CSP violations are reported as console errors too; the event catches ones that are not.
  // (A string: the tests compile without DOM types.)
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  );
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Closes every toast (before a screenshot). Toasts also leave by themselves, so a click
 * must not wait on one already on its way out; then none may be left.
 */
export async function dismissToasts(page: Page): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  for (let i = 0; i < 20 && (await dismiss.count()) > 0; i++) {
    await dismiss
      .first()
      .dispatchEvent('click', undefined, { timeout: 2_000 })
      .catch(() => {}); // it left by itself
  }
  const deadline = Date.now() + 10_000;
  while ((await dismiss.count()) > 0) {
    if (Date.now() > deadline) throw new Error('toasts did not go away');
    await page.waitForTimeout(100);
  }
}
