export { startControlServer, reply, type ControlServer, type ControlServerOptions } from './control-server.js';
export { loadOrCreateToken, tokenFile } from './guard.js';
export { controlAddressFile, readControlAddress, removeControlAddress, writeControlAddress, type ControlAddress } from './address-file.js';
