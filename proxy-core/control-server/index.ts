export { startControlServer, reply, type ControlServer, type ControlServerOptions } from './control-server.js';
export { loadOrCreateToken, tokenFile } from './guard.js';
