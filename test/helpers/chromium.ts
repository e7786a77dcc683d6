// Real Chromium (Debian's, at /usr/bin/chromium; CI installs it) driven by playwright-core,
// with HOME pointed at a temp dir so it reads that dir's NSS database and nothing of ours.
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env['PORTICO_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why Chromium tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return undefined;
  } catch {
    return `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set PORTICO_CHROMIUM)`;
  }
}

export type PageLoad = { ok: true; status: number; text: string } | { ok: false; error: string };

/**
 * Loads `url` in a fresh headless Chromium whose HOME is `home` (a new profile each time,
 * so nothing is cached between loads) and returns the page text or the navigation error.
 */
export async function loadInChromium(home: string, url: string): Promise<PageLoad> {
  const profile = await mkdtemp(path.join(home, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    env: { ...process.env, HOME: home },
    timeout: 30_000,
  });
  try {
    const page = await context.newPage();
    try {
      const response = await page.goto(url, { timeout: 15_000 });
      return { ok: true, status: response?.status() ?? 0, text: (await page.textContent('body')) ?? '' };
    } catch (error) {
      return { ok: false, error: (error as Error).message.split('\n')[0] ?? String(error) };
    }
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
