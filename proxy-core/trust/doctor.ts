// `portico doctor`: every trust store with its status, a real handshake against the
// system trust, what each browser will make of it, and the exact fix for each failure.
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import type { CertificateStore } from '../tls/index.js';
import { checkHost, handshakeCheck, type HandshakeCheck } from './handshake.js';
import { systemLayout, type DistroFamily } from './linux-distro.js';
import { nodeClientsStatus } from './node-clients.js';
import { trustStores, type TrustEnvironment } from './stores.js';
import type { StoreGroup, StoreStatus, TrustRoot } from './types.js';

export interface StoreReport {
  id: string;
  group: StoreGroup;
  label: string;
  status: StoreStatus;
}

export interface BrowserVerdict {
  browser: string;
  trusts: 'yes' | 'no' | 'unknown';
  why: string;
  fix?: string;
}

export interface DoctorReport {
  stores: StoreReport[];
  handshake: HandshakeCheck & { against: string; fix?: string };
  browsers: BrowserVerdict[];
  node: StoreStatus;
  /** Failures that need the user (stores present but not trusted, a failed handshake). */
  problems: number;
}

export interface DoctorOptions {
  env: TrustEnvironment;
  root: TrustRoot;
  leaves: CertificateStore;
  suffixes: readonly string[];
  routeHosts: readonly string[];
  processEnv?: NodeJS.ProcessEnv;
}

/** What "the system trust" is for the handshake: the bundle our Linux store manages, else the OS store. */
async function systemTrust(env: TrustEnvironment, family: DistroFamily | undefined): Promise<{ against: string; ca: string[] }> {
  if (env.platform === 'linux' && family) {
    const bundle = systemLayout(family, env.sysroot).bundle;
    return { against: bundle, ca: [await readFile(bundle, 'utf8').catch(() => '')].filter(Boolean) };
  }
  return { against: 'the OS trust store', ca: tls.getCACertificates('system') };
}

function verdict(browser: string, reports: StoreReport[], absentWhy: string, absentFix?: string): BrowserVerdict {
  const present = reports.filter((r) => r.status.state !== 'not present');
  if (present.length === 0) return { browser, trusts: 'unknown', why: absentWhy, ...(absentFix !== undefined && { fix: absentFix }) };
  const bad = present.find((r) => r.status.state !== 'trusted');
  if (!bad) return { browser, trusts: 'yes', why: present.map((r) => r.label).join('; ') };
  return {
    browser,
    trusts: bad.status.state === 'unknown' ? 'unknown' : 'no',
    why: `${bad.label}: ${bad.status.detail ?? bad.status.state}`,
    ...(bad.status.fix !== undefined && { fix: bad.status.fix }),
  };
}

function browserVerdicts(platform: NodeJS.Platform, reports: StoreReport[]): BrowserVerdict[] {
  const system = reports.filter((r) => r.group === 'system');
  const firefox = reports.filter((r) => r.id.startsWith('nss-firefox'));
  const noFirefox = 'no Firefox profile found';
  if (platform === 'linux') {
    // NSS (as Chromium uses it) opens ~/.pki/nssdb when it exists, else the XDG one
    // (~/.local/share/pki/nssdb): checked with Debian's Chromium 156 in the e2e test.
    const legacy = reports.filter((r) => r.id === 'nss-chrome');
    const chrome = legacy.some((r) => r.status.state !== 'not present') ? legacy : reports.filter((r) => r.id === 'nss-chrome-xdg');
    const snap = reports.filter((r) => r.id === 'nss-chromium-snap' && r.status.state !== 'not present');
    return [
      verdict('Chrome/Chromium', chrome, 'no NSS database: start Chrome once', 'start Chrome or Chromium once, then: portico trust --only nss'),
      ...(snap.length ? [verdict('Chromium snap', snap, '')] : []),
      verdict('Firefox', firefox, noFirefox),
    ];
  }
  const osBrowsers = platform === 'darwin' ? 'Chrome, Safari, Edge' : 'Chrome, Edge';
  return [verdict(osBrowsers, system, 'no system store'), ...(platform === 'darwin' ? [verdict('Firefox', firefox, noFirefox)] : [])];
}

export async function diagnose(options: DoctorOptions): Promise<DoctorReport> {
  const { env, root } = options;
  const found = await trustStores(env);
  const stores: StoreReport[] = [];
  for (const store of found.stores) {
    stores.push({ id: store.id, group: store.group, label: store.label, status: await store.status(root) });
  }
  const trust = await systemTrust(env, found.family);
  const host = checkHost(options.suffixes, options.routeHosts);
  const check = await handshakeCheck(options.leaves, host, trust.ca);
  const systemTrusted = stores.some((s) => s.group === 'system' && s.status.state === 'trusted');
  const handshake = {
    ...check,
    against: trust.against,
    ...(!check.ok && {
      fix: systemTrusted
        ? `the store lists the root but the handshake failed (${check.code}): check the clock and ${root.file}`
        : 'portico trust --only system',
    }),
  };
  const problems = stores.filter((s) => s.status.state === 'not trusted' || s.status.state === 'unknown').length + (handshake.ok ? 0 : 1);
  return {
    stores,
    handshake,
    browsers: browserVerdicts(env.platform, stores),
    node: nodeClientsStatus(root, options.processEnv ?? process.env, env.platform),
    problems,
  };
}
