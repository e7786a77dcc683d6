export * from './config.js';
export * from './ca.js';
