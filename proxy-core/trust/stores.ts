// Every trust store on this machine, for this user (NSS follows $HOME), and `--only`.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { certutilHint, distroFamily, parseOsRelease, type DistroFamily } from './linux-distro.js';
import { linuxSystemStore } from './linux-system.js';
import { macosKeychainStore } from './macos.js';
import { findNssDbs } from './nss-discovery.js';
import { nssStore } from './nss.js';
import type { CommandRunner, TrustStore } from './types.js';
import { windowsRootStore } from './windows.js';

export interface TrustEnvironment {
  platform: NodeJS.Platform;
  /** Where NSS databases are looked for. */
  home: string;
  /** '/' for real; tests point the Linux system store (and os-release) at a temp tree. */
  sysroot: string;
  runner: CommandRunner;
}

export function defaultTrustEnvironment(runner: CommandRunner, env: NodeJS.ProcessEnv = process.env): TrustEnvironment {
  return {
    platform: process.platform,
    // $HOME first (os.homedir() ignores it on Windows), so HOME=/tmp/x scopes NSS discovery.
    home: env['HOME'] || os.homedir(),
    sysroot: env['PORTICO_SYSROOT'] || '/',
    runner,
  };
}

export async function readOsRelease(sysroot: string): Promise<Record<string, string>> {
  for (const file of ['etc/os-release', 'usr/lib/os-release']) {
    const text = await readFile(path.join(sysroot, file), 'utf8').catch(() => undefined);
    if (text !== undefined) return parseOsRelease(text);
  }
  return {};
}

export interface FoundStores {
  stores: TrustStore[];
  family?: DistroFamily;
}

export async function trustStores(env: TrustEnvironment): Promise<FoundStores> {
  const { platform, runner } = env;
  if (platform === 'win32') return { stores: [windowsRootStore({ runner })] };
  let family: DistroFamily | undefined;
  const stores: TrustStore[] = [];
  if (platform === 'darwin') {
    stores.push(macosKeychainStore({ runner }));
  } else if (platform === 'linux') {
    const osRelease = await readOsRelease(env.sysroot);
    family = distroFamily(osRelease);
    stores.push(linuxSystemStore({ runner, family, sysroot: env.sysroot, distroName: osRelease['ID'] ? `ID=${osRelease['ID']}` : 'no os-release' }));
  }
  const hint = certutilHint(platform, family);
  for (const db of await findNssDbs(env.home, platform)) stores.push(nssStore({ runner, db, certutilHint: hint }));
  return family ? { stores, family } : { stores };
}

/**
 * The stores `--only` names: a group ("system", "nss"), an id ("nss-chrome"), or an id
 * prefix at a dash ("nss-firefox" = every Firefox profile). Returns the words that
 * matched nothing, so the caller can say so.
 */
export function selectStores(stores: readonly TrustStore[], only: readonly string[]): { selected: TrustStore[]; unknown: string[] } {
  if (only.length === 0) return { selected: [...stores], unknown: [] };
  const matches = (store: TrustStore, word: string) => store.group === word || store.id === word || store.id.startsWith(`${word}-`);
  return {
    selected: stores.filter((s) => only.some((w) => matches(s, w))),
    unknown: only.filter((w) => !stores.some((s) => matches(s, w)) && w !== 'system' && w !== 'nss'),
  };
}
