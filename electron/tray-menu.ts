// The tray menu as plain data: the routes the service reports, each with its URL, then
// the app's own items. main.ts turns it into a Menu and rebuilds it when the config or
// the listeners change.
import type { MenuItemConstructorOptions } from 'electron';
import type { CommandOutput, Route } from '../proxy-core/contract/index.js';

type Status = CommandOutput<'status'>;

export interface TrayActions {
  open(url: string): void;
  show(): void;
  quit(): void;
  /** Absent where the OS has no login items Electron can set (Linux). */
  setOpenAtLogin?: (enabled: boolean) => void;
}

export interface TrayModel {
  routes: readonly Route[];
  status: Status | undefined;
  /** Why the routes are unknown (the proxy did not start), shown instead of them. */
  problem?: string;
  openAtLogin: boolean;
}

/** How a browser reaches the route: HTTPS when it is served, the port when not the default. */
export function routeUrl(route: Route, status: Status): string | undefined {
  if (route.host.startsWith('*.')) return undefined; // a wildcard is not one address
  const https = route.https !== 'off' && status.https !== undefined;
  const port = https ? status.https!.port : status.http.port;
  const defaultPort = https ? 443 : 80;
  const origin = `${https ? 'https' : 'http'}://${route.host}${port === defaultPort ? '' : `:${port}`}`;
  return `${origin}${route.pathPrefix ?? '/'}`;
}

export function trayMenuTemplate(model: TrayModel, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  if (model.problem !== undefined) {
    items.push({ label: model.problem, enabled: false });
  } else {
    const enabled = model.routes.filter((r) => r.enabled);
    if (enabled.length === 0) items.push({ label: 'No routes yet', enabled: false });
    for (const route of enabled) {
      const url = model.status ? routeUrl(route, model.status) : undefined;
      items.push(
        url !== undefined ? { label: `Open ${url}`, click: () => actions.open(url) } : { label: `${route.host}${route.pathPrefix ?? ''}`, enabled: false },
      );
    }
  }
  items.push({ type: 'separator' }, { label: 'Show Portico', click: () => actions.show() });
  const setOpenAtLogin = actions.setOpenAtLogin;
  if (setOpenAtLogin) {
    items.push({
      label: 'Start at Login',
      type: 'checkbox',
      checked: model.openAtLogin,
      click: (item) => setOpenAtLogin(item.checked),
    });
  }
  items.push({ type: 'separator' }, { label: 'Quit Portico', click: () => actions.quit() });
  return items;
}
