// The engine's public face: start it in-process (port 0 in tests), feed it config, close it.
export { startEngine } from './engine.js';
export type { CertificateSource, Engine, EngineOptions, HealthListener, ListenerAddress } from './engine.js';
export { compileRoutingTable } from './routing-table.js';
export type { RoutingTable, RouteMatch } from './routing-table.js';
export type { ExchangeTap, Recorder, SentHead, TapStart } from './capture/capture-tap.js';
export { installLastResort } from './http/last-resort.js';
