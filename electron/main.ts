// Electron main process. Kept thin: one window, one in-process engine. Everything the
// proxy does lives in proxy-core; the IPC adapter for the control service comes later.
import { app, BrowserWindow, dialog } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configPathIn, defaultDataDir, loadConfig } from '../proxy-core/config/index.js';
import { startEngine, type Engine } from '../proxy-core/engine/index.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/electron
const PRELOAD = path.join(here, 'preload.cjs');
// app.getAppPath() is the folder holding package.json, inside the asar when packaged.
const INDEX_HTML = path.join(app.getAppPath(), 'renderer', 'dist', 'index.html');

let engine: Engine | undefined;
let window: BrowserWindow | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Portico',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: PRELOAD,
      // The sandboxed preload cannot reach `app`; hand it the version on its argv.
      additionalArguments: [`--portico-version=${app.getVersion()}`],
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    window = undefined;
  });
  void win.loadFile(INDEX_HTML);
  return win;
}

async function startProxy(): Promise<void> {
  try {
    const config = await loadConfig(configPathIn(defaultDataDir()));
    engine = await startEngine({ config, log: (line) => console.log(line) });
  } catch (error) {
    // Keep the window up: a busy port or a bad config is something the user fixes.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`portico: engine did not start: ${message}`);
    dialog.showErrorBox('Portico could not start the proxy', message);
  }
}

// Every web contents (window, devtools, anything later) may neither navigate away from
// the bundled UI nor open new windows: the UI is the only page this app shows.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

if (!app.requestSingleInstanceLock()) {
  // Another Portico owns the ports and the data dir; it focuses its window (below).
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (!window) window = createWindow();
  });

  // Close the engine before exiting: stop accepting, let in-flight requests finish.
  app.on('will-quit', (event) => {
    const running = engine;
    if (!running) return;
    event.preventDefault();
    engine = undefined;
    running
      .close()
      .catch((error: unknown) => console.error('portico: engine close failed:', error))
      .finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    window = createWindow();
    await startProxy();
  });
}
