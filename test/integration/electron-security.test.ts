// The desktop app's own security, without an Electron binary: the electronegativity scan
// over the main process, preload and the renderer's HTML (no HIGH findings), and the
// objects and guards main.ts hands to Electron. IPC sender validation is covered in
// ipc-adapter.test.ts ("calls from anywhere else are refused before the service").
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDownContents, permissionAllowed, WEB_PREFERENCES, type LockableContents } from '../../electron/web-security.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNER = fileURLToPath(new URL('../helpers/electronegativity.mjs', import.meta.url));
const RENDERER = pathToFileURL(join(ROOT, 'renderer/dist/index.html')).href;

let work: string | undefined;
afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  sample?: string;
}

describe('electronegativity', () => {
  it('finds nothing HIGH in the main process, the preload and the renderer page', { timeout: 120_000 }, async () => {
    // One tree as the packaged app has it: main + preload sources and the renderer's HTML,
    // so the global checks (navigation limits, CSP) see all of them together.
    work = await mkdtemp(join(tmpdir(), 'portico-electronegativity-'));
    const app = join(work, 'app');
    await mkdir(join(app, 'electron'), { recursive: true });
    for (const name of await readdir(join(ROOT, 'electron'))) {
      if (/\.c?ts$/.test(name)) await copyFile(join(ROOT, 'electron', name), join(app, 'electron', name));
    }
    await copyFile(join(ROOT, 'renderer/index.html'), join(app, 'index.html'));
    const { version } = JSON.parse(await readFile(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [SCANNER, app, version], { timeout: 110_000 }, (error, out, stderr) =>
        error ? reject(new Error(stderr || error.message)) : resolve(out),
      ),
    );
    const line = stdout.split('\n').find((l) => l.startsWith('findings: '));
    const { findings, errors } = JSON.parse(line!.slice('findings: '.length)) as { findings: Finding[]; errors: number };
    const listed = findings.map((f) => `${f.severity} ${f.id} ${f.file}:${f.line} ${f.sample ?? ''}`);
    expect(errors, 'files the scanner could not parse').toBe(0);
    expect(findings.length, 'no findings at all: did the scan see the files?').toBeGreaterThan(0);
    expect(
      listed.filter((f) => f.startsWith('HIGH')),
      listed.join('\n'),
    ).toEqual([]);
    // The checks we answer in code must be quiet: navigation limits, permission handler,
    // sandbox/contextIsolation/nodeIntegration settings.
    const issues = findings.map((f) => f.id);
    for (const check of [
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'CONTEXT_ISOLATION_JS_CHECK',
      'NODE_INTEGRATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
    ]) {
      expect(issues, listed.join('\n')).not.toContain(check);
    }
  });
});

describe('web preferences', () => {
  it('isolate the renderer: sandbox, context isolation, no Node anywhere, no webview', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });
});

describe('the renderer page CSP', () => {
  it('allows only our own scripts and styles, no eval, no plugins, no foreign connections', async () => {
    const html = await readFile(join(ROOT, 'renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(csp).toBeDefined();
    const directives = new Map(
      csp!
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    for (const values of directives.values()) {
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain('*');
    }
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    for (const source of directives.get('connect-src') ?? []) expect(source).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\*)$/);
  });
});

/** A stand-in for WebContents that records what the lock-down registered. */
function fakeContents() {
  const listeners = new Map<string, (event: never) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (name: string, listener: (event: never) => void) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  } as unknown as LockableContents;
  const fire = (name: string, fields: object) => {
    let prevented = false;
    listeners.get(name)!({ ...fields, preventDefault: () => (prevented = true) } as never);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('navigation lock-down', () => {
  const setup = () => {
    const opened: string[] = [];
    const fake = fakeContents();
    lockDownContents(
      fake.contents,
      () => RENDERER,
      (url) => opened.push(url),
    );
    return { ...fake, opened };
  };

  it('never navigates the window; web links go to the browser, our own page is not reopened', () => {
    const { fire, opened } = setup();
    expect(fire('will-navigate', { url: 'https://evil.example/' })).toBe(true);
    expect(fire('will-navigate', { url: `${RENDERER}#/traffic` })).toBe(true);
    expect(opened).toEqual(['https://evil.example/']);
  });

  it('refuses redirects, sub-frames and webviews', () => {
    const { fire } = setup();
    expect(fire('will-redirect', { url: 'https://evil.example/' })).toBe(true);
    expect(fire('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: false })).toBe(true);
    expect(fire('will-attach-webview', {})).toBe(true);
  });

  it('opens no windows: window.open is denied and handed to the external-link filter', () => {
    const { open, opened } = setup();
    expect(open('https://docs.example/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example/', 'file:///etc/passwd']); // main.ts's openExternal drops non-web URLs
  });
});

describe('permissions', () => {
  it.each([
    ['clipboard write from our page', 'clipboard-sanitized-write', { requestingUrl: RENDERER, isMainFrame: true }, true],
    ['clipboard write from a sub-frame', 'clipboard-sanitized-write', { requestingUrl: RENDERER, isMainFrame: false }, false],
    ['clipboard write from another page', 'clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true }, false],
    ['the camera for our page', 'media', { requestingUrl: RENDERER, isMainFrame: true }, false],
    ['notifications for our page', 'notifications', { requestingUrl: RENDERER, isMainFrame: true }, false],
    ['no requesting URL', 'clipboard-sanitized-write', { isMainFrame: true }, false],
  ])('%s', (_name, permission, details, allowed) => {
    expect(permissionAllowed(permission, details, RENDERER)).toBe(allowed);
  });
});
