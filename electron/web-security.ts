// How the window's web contents are locked down, as plain objects and functions the main
// process hands to Electron — so tests can check them without an Electron binary.
import { isTrustedRendererUrl } from './ipc-adapter.js';

/** The renderer gets no Node, its own JS world, Chromium's sandbox, no <webview>. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  enableBlinkFeatures: '',
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

type Prevented = { preventDefault(): void };

/** The part of Electron's WebContents the lock-down touches. */
export interface LockableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Prevented & { url: string }) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: Prevented & { url: string; isMainFrame: boolean }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Prevented) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Every web contents (the window, devtools, anything later) may neither navigate away from
 * the UI nor open windows: the UI is the only page this app shows. Links to the web go to
 * the user's browser instead (`openExternal` decides which).
 */
export function lockDownContents(contents: LockableContents, rendererUrl: () => string, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    if (event.url && !isTrustedRendererUrl(event.url, rendererUrl())) openExternal(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault(); // the UI has no frames; none may appear
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * No camera, microphone, notifications, geolocation…: the UI needs none. Writing to the
 * clipboard (copy a URL, copy as curl) is the one thing our own page may do.
 */
export function permissionAllowed(permission: string, details: { requestingUrl?: string; isMainFrame?: boolean }, rendererUrl: string): boolean {
  return (
    permission === 'clipboard-sanitized-write' &&
    details.isMainFrame === true &&
    details.requestingUrl !== undefined &&
    isTrustedRendererUrl(details.requestingUrl, rendererUrl)
  );
}
