// Electron main process: one window, a tray, and the engine.
//
// The engine runs in-process, here in the main process. One process, and no
// serialisation on the proxy's hot path: requests never cross a process boundary, only
// the UI's commands and the batched traffic events do, and those go over IPC either
// way. The trade-off: a crash in the engine takes the window with it, where a
// utilityProcess would isolate it (and keep a busy proxy off the main process's event
// loop, which also drives the window). The engine is built to not throw (an error
// listener on every proxy and socket), so for a single-user dev tool we keep it simple.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, screen, session, shell, Tray, type NativeImage } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { configPathIn, defaultDataDir } from '../proxy-core/config/index.js';
import { installLastResort } from '../proxy-core/engine/index.js';
import { collectGarbageWhenIdle } from '../proxy-core/system/idle-garbage.js';
import type { ControlApi } from '../proxy-core/service/types.js';
import { deferredApi } from './deferred-api.js';
import { iconPng } from './icon.js';
import { attachIpcAdapter } from './ipc-adapter.js';
import { isExternalWebUrl } from './links.js';
import { startAppService } from './service.js';
import { publishControl } from './control-address.js';
import { lockDownContents, permissionAllowed, WEB_PREFERENCES } from './web-security.js';
import { trayMenuTemplate, type TrayModel } from './tray-menu.js';
import { MIN_SIZE, placeWindow, readWindowState, windowStateFile, writeWindowState, type WindowState } from './window-state.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // out/electron
const PRELOAD = path.join(here, 'preload.cjs');
const DATA_DIR = defaultDataDir();
const CONFIG_FILE = configPathIn(DATA_DIR);
/** Launched by the login item: start in the tray, without a window. */
const HIDDEN_FLAG = '--portico-hidden';

/**
 * The UI: the bundled file, or (unpackaged only) a Vite dev server named by
 * PORTICO_RENDERER_URL. The IPC adapter serves this URL and nothing else.
 */
function rendererUrl(): string {
  const dev = process.env['PORTICO_RENDERER_URL'];
  if (!app.isPackaged && dev && isExternalWebUrl(dev)) return new URL(dev).href;
  // app.getAppPath() is the folder holding package.json, inside the asar when packaged.
  return pathToFileURL(path.join(app.getAppPath(), 'renderer', 'dist', 'index.html')).href;
}

const log = (line: string) => console.log(line);
// One bad exchange must not close the app: log it and keep serving (engine/last-resort.ts).
installLastResort((line) => console.error(`portico: ${line}`));

let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let quitting = false;
let closeService: (() => Promise<void>) | undefined;
let detachIpc: (() => void) | undefined;

// ---- the window -------------------------------------------------------------------

async function createWindow(url: string, show: boolean): Promise<BrowserWindow> {
  const stateFile = windowStateFile(DATA_DIR);
  const placed = placeWindow(
    await readWindowState(stateFile),
    [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...placed.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Portico',
    show: false,
    icon: process.platform === 'linux' ? nativeImage.createFromBuffer(iconPng(256)) : undefined,
    webPreferences: {
      ...WEB_PREFERENCES,
      // The three that matter most, spelled out again where static scanners look for them
      // (electronegativity reads this call, not the constant; its test keeps both honest).
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: PRELOAD,
      // The sandboxed preload cannot reach `app`; hand it the version on its argv.
      additionalArguments: [`--portico-version=${app.getVersion()}`],
    },
  });
  if (placed.maximized) win.maximize();
  if (show) win.once('ready-to-show', () => win.show());

  rememberBounds(win, stateFile);
  // Closing the window keeps the proxy running in the tray; Quit (tray, menu, Cmd+Q) ends it.
  win.on('close', (event) => {
    if (!quitting && tray) {
      event.preventDefault();
      win.hide();
    }
  });
  win.on('closed', () => {
    window = undefined;
  });
  void win.loadURL(url);
  return win;
}

/** Saves size, position and maximised state a moment after the user stops moving it, and on close. */
function rememberBounds(win: BrowserWindow, file: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    // getNormalBounds: the size to come back to, also while maximised.
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    writeWindowState(file, state).catch((error: unknown) => log(`portico: could not save the window state: ${String(error)}`));
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);
}

function showWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

// ---- locking the web contents down -------------------------------------------------

/** Opens an http(s) URL in the user's browser; anything else is dropped. */
function openExternal(url: string): void {
  if (isExternalWebUrl(url)) void shell.openExternal(url);
  else log(`portico: not opening ${JSON.stringify(url)}: only http and https links leave the app`);
}

app.on('web-contents-created', (_event, contents) => lockDownContents(contents, rendererUrl, openExternal));

function lockPermissions(url: string): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details, url)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, _origin, details) => permissionAllowed(permission, details, url));
}

// ---- the tray ----------------------------------------------------------------------

function trayImage(): NativeImage {
  // macOS draws tray icons from a black template image in its own colours.
  if (process.platform === 'darwin') {
    const image = nativeImage.createFromBuffer(iconPng(32, 'tray-template'), { scaleFactor: 2 });
    image.setTemplateImage(true);
    return image;
  }
  return nativeImage.createFromBuffer(iconPng(32, 'tray'), { scaleFactor: 2 });
}

/** Login items exist on macOS and Windows; Electron cannot set them on Linux. */
const LOGIN_ITEMS = process.platform === 'darwin' || process.platform === 'win32';

function createTray(api: ControlApi): void {
  tray = new Tray(trayImage());
  tray.setToolTip('Portico');
  if (process.platform !== 'darwin') tray.on('click', showWindow);

  const model: TrayModel = { routes: [], status: undefined, openAtLogin: LOGIN_ITEMS && app.getLoginItemSettings().openAtLogin };
  const render = () =>
    tray?.setContextMenu(
      Menu.buildFromTemplate(
        trayMenuTemplate(model, {
          open: openExternal,
          show: showWindow,
          quit: () => app.quit(),
          ...(LOGIN_ITEMS && {
            setOpenAtLogin: (enabled: boolean) => {
              app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
              model.openAtLogin = app.getLoginItemSettings().openAtLogin;
              render();
            },
          }),
        }),
      ),
    );
  const refresh = async () => {
    try {
      const [routes, status] = await Promise.all([api.call('routes.list', undefined), api.call('status', undefined)]);
      Object.assign(model, { routes, status, problem: undefined });
    } catch (error) {
      model.problem = error instanceof Error ? error.message : String(error);
    }
    render();
  };
  render();
  void refresh();
  api.on('config.changed', (config) => {
    model.routes = config.routes;
    render();
  });
  api.on('listeners', (status) => {
    model.status = status;
    render();
  });
}

// ---- the app -----------------------------------------------------------------------

app.enableSandbox();
// Windows groups the taskbar button and the tray under this id (electron-builder's appId).
if (process.platform === 'win32') app.setAppUserModelId('dev.portico.app');

if (!app.requestSingleInstanceLock()) {
  // Another Portico owns the ports and the data dir; it shows its window (below).
  app.quit();
} else {
  app.on('second-instance', showWindow);

  app.on('window-all-closed', () => {
    // Without a tray there is no other way back to the app: quit with the window.
    if (!tray) app.quit();
  });

  app.on('activate', showWindow);
  app.on('before-quit', () => {
    quitting = true;
  });

  // Stop the IPC handlers, then the service: stop accepting, let in-flight requests finish.
  app.on('will-quit', (event) => {
    detachIpc?.();
    detachIpc = undefined;
    const close = closeService;
    if (!close) return;
    event.preventDefault();
    closeService = undefined;
    close()
      .catch((error: unknown) => console.error('portico: closing the proxy failed:', error))
      .finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    const url = rendererUrl();
    lockPermissions(url);

    const started = startAppService({ dataDir: DATA_DIR, configFile: CONFIG_FILE, version: app.getVersion(), log });
    // An app left open all day gives its busiest hour's memory back once traffic is quiet.
    collectGarbageWhenIdle();
    // Quitting while the service still starts waits for it, then closes it.
    // `portico run` finds this engine through control.json (see control-address.ts).
    const control = started.then((service) => publishControl(service, { dataDir: DATA_DIR, version: app.getVersion(), appPath: app.getAppPath(), log }));
    control.catch((error: unknown) => log(`portico: the control server for 'portico run' did not start: ${(error as Error).message}`));
    closeService = () =>
      started.then(
        async (service) => {
          await control.then(
            (published) => published.close(),
            () => {},
          );
          await service.close();
        },
        () => {},
      );
    const api = deferredApi(started);
    // Handlers before the window: its first call must find them.
    detachIpc = attachIpcAdapter({ ipcMain, api, rendererUrl: url, contents: () => (window ? [window.webContents] : []), log });

    const hidden = process.argv.includes(HIDDEN_FLAG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
    window = await createWindow(url, !hidden);
    createTray(api);

    try {
      await started;
    } catch (error) {
      // Keep the window up: a busy port or a bad config is something the user fixes.
      const message = error instanceof Error ? error.message : String(error);
      console.error(`portico: the proxy did not start: ${message}`);
      dialog.showErrorBox('Portico could not start the proxy', message);
    }
  });
}
