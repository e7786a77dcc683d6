// The LAN front doors: one plain-HTTP listener per shared host, bound to the LAN address
// only, opened and closed as settings.lan and the routes' `share` flags change. Every
// request they accept is marked as coming from the LAN, so the gate (lan-access.ts) runs.
//
// Plain HTTP on purpose: the local CA is name-constrained to the dev suffixes and
// loopback addresses, so it cannot sign for a LAN address, and another device would not
// trust the root anyway unless someone installed it there.
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import type { Config, FirewallSettings } from '../contract/index.js';
import { LAN_CONNECTIONS } from './connection-guard.js';
import type { LanOrigin } from './lan-access.js';
import { chooseLanAddress, isLoopbackAddress, lanPlan, type LanPlanEntry } from './lan-peers.js';
import { listenHttp, type Listener } from './listeners.js';
import type { createProxyHandlers } from './proxy-handlers.js';

type Handlers = ReturnType<typeof createProxyHandlers>;
type FromLan = IncomingMessage & { porticoLan?: LanOrigin };

export interface LanListenerStatus {
  enabled: boolean;
  address?: string | undefined;
  error?: string | undefined;
  /** The hosts being served, with the port each really got. */
  listeners: (LanPlanEntry & { port: number })[];
}

/** Handlers that mark every request as from the LAN, routed to `host` whatever its Host header. */
function servingHost(handlers: Handlers, host: string): Handlers {
  const origin: LanOrigin = { host };
  return {
    onRequest: (req, res) => {
      (req as FromLan).porticoLan = origin;
      handlers.onRequest(req, res);
    },
    onUpgrade: (req, socket, head) => {
      (req as FromLan).porticoLan = origin;
      handlers.onUpgrade(req, socket, head);
    },
    onConnect: handlers.onConnect,
    onClientError: handlers.onClientError,
    onTlsError: handlers.onTlsError,
  };
}

const STRANGER: LanOrigin = {};

/**
 * For a listener bound to every interface (a config with "0.0.0.0", macOS low ports): a
 * peer that is not this machine goes through the gate. Loopback-bound listeners never get
 * this wrapper, so their requests pay nothing.
 */
export function markStrangers(handlers: Handlers): Handlers {
  return {
    onRequest: (req, res) => {
      if (!isLoopbackAddress(req.socket.remoteAddress)) (req as FromLan).porticoLan = STRANGER;
      handlers.onRequest(req, res);
    },
    onUpgrade: (req, socket, head) => {
      if (!isLoopbackAddress(req.socket.remoteAddress)) (req as FromLan).porticoLan = STRANGER;
      handlers.onUpgrade(req, socket, head);
    },
    onConnect: handlers.onConnect,
    onClientError: handlers.onClientError,
    onTlsError: handlers.onTlsError,
  };
}

/** Other devices get the configured limits, with at most 10 s to send their headers. */
function lanReadLimits(limits: FirewallSettings): FirewallSettings {
  const headersTimeoutMs = Math.min(limits.headersTimeoutMs, LAN_CONNECTIONS.firstRequestMs);
  return { ...limits, headersTimeoutMs };
}

/** How long requests in flight on a LAN listener may finish when sharing is switched off. */
const CLOSE_GRACE_MS = 1_000;

interface OpenListener {
  listener: Listener;
  /** The port the LAN listener really got. */
  port: number;
}

export class LanListeners {
  /** Keyed by address, host and the port asked for: a listener lives as long as its key. */
  private open = new Map<string, OpenListener>();
  private current: LanListenerStatus = { enabled: false, listeners: [] };
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly handlers: Handlers,
    private readonly log: (line: string) => void,
  ) {}

  /** Brings the listeners in line with `config` (serialised: one change at a time). */
  apply(config: Config, enabled: boolean): Promise<void> {
    this.work = this.work.then(() => this.reconcile(config, enabled));
    return this.work;
  }

  /** The status once every change asked for so far is done. */
  async status(): Promise<LanListenerStatus> {
    await this.work;
    return this.current;
  }

  close(graceMs: number): Promise<void> {
    this.work = this.work.then(() => this.closeExcept(new Set(), graceMs));
    return this.work;
  }

  /**
   * Closes the listeners no longer wanted and opens the missing ones. A listener whose
   * address, host and port stay the same is kept, with the devices connected to it.
   */
  private async reconcile(config: Config, enabled: boolean): Promise<void> {
    const plan = enabled ? lanPlan(config.routes, config.lan.port) : [];
    const chosen = enabled ? chooseLanAddress(config.lan.address, os.networkInterfaces()) : undefined;
    if (!chosen || 'error' in chosen) {
      await this.closeExcept(new Set(), CLOSE_GRACE_MS);
      if (chosen && plan.length > 0) this.log(`LAN sharing not started: ${chosen.error}`);
      this.current = { enabled, error: chosen?.error, listeners: [] };
      return;
    }
    const { address } = chosen;
    const keyOf = (entry: LanPlanEntry) => `${address} ${entry.host} ${entry.port}`;
    await this.closeExcept(new Set(plan.map(keyOf)), CLOSE_GRACE_MS);
    const errors: string[] = [];
    const listeners: LanListenerStatus['listeners'] = [];
    for (const entry of plan) {
      const key = keyOf(entry);
      let open = this.open.get(key);
      if (!open) {
        try {
          const listener = await listenHttp(servingHost(this.handlers, entry.host), { host: address, port: entry.port, connections: LAN_CONNECTIONS }, lanReadLimits(config.firewall));
          open = { listener, port: listener.address.port };
          this.open.set(key, open);
          this.log(`LAN sharing ${entry.host} on http://${hostForUrl(address)}:${open.port}/`);
        } catch (error) {
          errors.push(`${entry.host}: ${(error as Error).message}`);
          this.log(`LAN sharing of ${entry.host} not started: ${(error as Error).message}`);
          continue;
        }
      }
      listeners.push({ ...entry, port: open.port });
    }
    this.current = { enabled, address, error: errors.length > 0 ? errors.join('; ') : undefined, listeners };
  }

  private async closeExcept(keep: ReadonlySet<string>, graceMs: number): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, open] of this.open) {
      if (keep.has(key)) continue;
      this.open.delete(key);
      closing.push(open.listener.close(graceMs));
    }
    await Promise.all(closing);
  }
}

/** IPv6 addresses go in brackets in a URL. */
export const hostForUrl = (address: string): string => (address.includes(':') ? `[${address}]` : address);
