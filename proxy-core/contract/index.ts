export * from './config.js';
export * from './ca.js';
export * from './exchange.js';
export * from './commands.js';
export * from './events.js';
export * from './bridge.js';
export * from './trust.js';
export * from './lan.js';
