// Sandboxed preload (CommonJS: sandboxed preloads cannot be ES modules). It exposes a
// narrow, named API, never a generic invoke(channel); the control-service methods from
// the contract arrive with that issue. For now: the app version only.
import electron = require('electron');

const VERSION_FLAG = '--portico-version=';
const version = process.argv.find((arg) => arg.startsWith(VERSION_FLAG))?.slice(VERSION_FLAG.length) ?? '';

electron.contextBridge.exposeInMainWorld('portico', Object.freeze({ version }));
