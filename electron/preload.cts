// Sandboxed preload (CommonJS: sandboxed preloads cannot be ES modules, and can require
// nothing but 'electron' and a few Node built-ins, so neither the contract nor bridge.ts
// is loaded here at run time). It exposes one method per contract command, an event
// subscription and the version — never a generic invoke(channel), never ipcRenderer.
import electron = require('electron');
import type { CommandName } from '../proxy-core/contract/index.js';
import type { EventMessage } from '../proxy-core/contract/index.js';

// The contract's COMMAND_NAMES, written out so that the API this file grants is readable
// here. The compiler rejects a name the contract lacks (`satisfies`) and a contract
// command missing here (`_complete`); test/integration/ipc-preload.test.ts checks the
// order-free equality at run time as well.
const COMMANDS = [
  'status',
  'routes.list',
  'routes.create',
  'routes.update',
  'routes.delete',
  'routes.toggle',
  'routes.stats',
  'routes.setPassword',
  'routes.deletePassword',
  'settings.get',
  'settings.set',
  'ca.info',
  'trust.status',
  'trust.install',
  'trust.uninstall',
  'doctor',
  'hosts.status',
  'hosts.set',
  'traffic.list',
  'traffic.get',
  'traffic.search',
  'traffic.body',
  'traffic.messages',
  'traffic.clear',
  'traffic.pause',
  'traffic.exportHar',
  'traffic.importHar',
  'traffic.replay',
  'cache.purge',
  'health.list',
  'lan.status',
  'lan.set',
  'rules.list',
  'rules.create',
  'rules.update',
  'rules.delete',
  'rules.move',
  'breakpoints.list',
  'breakpoints.resume',
  'breakpoints.abort',
  'processes.list',
  'processes.add',
  'processes.remove',
  'processes.stop',
] as const satisfies readonly CommandName[];
type Missing = Exclude<CommandName, (typeof COMMANDS)[number]>;
const _complete: [Missing] extends [never] ? true : { missingFromPreload: Missing } = true;

// bridge.ts's COMMAND_CHANNEL_PREFIX and EVENT_CHANNEL (the test compares them).
const COMMAND_CHANNEL_PREFIX = 'portico:';
const EVENT_CHANNEL = 'portico:event';

const VERSION_FLAG = '--portico-version=';
const version = process.argv.find((arg) => arg.startsWith(VERSION_FLAG))?.slice(VERSION_FLAG.length) ?? '';

const { contextBridge, ipcRenderer } = electron;

const bridge: Record<string, unknown> = { version };
for (const name of COMMANDS) {
  // Exactly one argument crosses, whatever the page passes.
  bridge[name] = (input?: unknown) => ipcRenderer.invoke(COMMAND_CHANNEL_PREFIX + name, input);
}
bridge['onEvent'] = (listener: (message: EventMessage) => void): (() => void) => {
  if (typeof listener !== 'function') throw new TypeError('portico.onEvent needs a function');
  // The page gets the message only: the IpcRendererEvent would hand it ipcRenderer itself.
  const forward = (_event: unknown, message: EventMessage) => listener(message);
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  };
};

contextBridge.exposeInMainWorld('portico', bridge);
