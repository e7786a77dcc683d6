// Active health checks: a route may ask each of its targets for a path at an interval.
// One check runs per backend origin and path, however many routes ask for it; a config
// swap starts the new ones, stops the ones no route wants, and leaves the rest running
// (so their health carries on). Timers are unref'd: checks never keep the process alive.
import http from 'node:http';
import https from 'node:https';
import { routeTargets, type HealthCheck, type Route } from '../../contract/index.js';
import { describeUpstreamError } from './upstream-errors.js';
import type { Upstream, UpstreamPool } from './pool.js';
import type { HealthListener } from './health-record.js';

interface CheckSpec {
  readonly upstream: Upstream;
  readonly check: HealthCheck;
  /** The first route asking for it: named in health events. */
  readonly route: string;
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

/** "2xx" or 200. */
export function statusMatches(status: number, expect: HealthCheck['expectStatus']): boolean {
  return typeof expect === 'number' ? status === expect : Math.floor(status / 100) === Number(expect[0]);
}

class RunningCheck {
  private timer: NodeJS.Timeout | undefined;
  private request: http.ClientRequest | undefined;
  private stopped = false;

  constructor(
    readonly spec: CheckSpec,
    private readonly onHealth: HealthListener | undefined,
  ) {
    this.run(); // at once: a dead target shows as down right after the config is applied
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.request?.destroy();
  }

  private run(): void {
    const { upstream, check } = this.spec;
    const url = new URL(check.path, upstream.origin);
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const settle = (problem: string | undefined) => {
      if (settled || this.stopped) return;
      settled = true;
      clearTimeout(deadline);
      this.request = undefined;
      this.report(problem);
      this.timer = setTimeout(() => this.run(), check.intervalMs).unref();
    };
    const deadline = setTimeout(() => {
      settle(`Health check ${check.path} got no answer from ${upstream.address} within ${seconds(check.timeoutMs)}.`);
      request.destroy();
    }, check.timeoutMs).unref();
    const request = client.get(url, { agent: upstream.agent, headers: { 'user-agent': 'Portico health check' } }, (res) => {
      res.resume(); // the body does not matter; reading it frees the keep-alive socket
      const status = res.statusCode ?? 0;
      settle(statusMatches(status, check.expectStatus) ? undefined : `Health check ${check.path} answered ${status} (expected ${check.expectStatus}).`);
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      // The same words as a failed request, so the UI shows one kind of message per cause.
      settle(describeUpstreamError(err, upstream, { connectMs: check.timeoutMs, responseMs: check.timeoutMs }).advice);
    });
    this.request = request;
  }

  private report(problem: string | undefined): void {
    const { upstream, route } = this.spec;
    const now = Date.now();
    const changed = problem === undefined ? upstream.health.checkPassed(now) : upstream.health.checkFailed(problem, now);
    if (!changed) return;
    const change = { route, target: upstream.origin, up: upstream.health.up };
    this.onHealth?.(problem === undefined ? change : { ...change, lastError: problem });
  }
}

const sameCheck = (a: HealthCheck, b: HealthCheck) => a.intervalMs === b.intervalMs && a.timeoutMs === b.timeoutMs && a.expectStatus === b.expectStatus;

export class ActiveChecks {
  private readonly running = new Map<string, RunningCheck>();

  constructor(
    private readonly pool: UpstreamPool,
    private readonly onHealth: HealthListener | undefined,
  ) {}

  /** Makes the running checks exactly the ones the enabled routes ask for. */
  sync(routes: readonly Route[]): void {
    const wanted = new Map<string, CheckSpec>();
    for (const route of routes) {
      const check = route.healthCheck;
      if (!route.enabled || !check) continue;
      for (const target of routeTargets(route)) {
        const upstream = this.pool.get(target);
        const key = upstream.origin + check.path;
        if (!wanted.has(key)) wanted.set(key, { upstream, check, route: route.host });
      }
    }
    for (const [key, running] of this.running) {
      const spec = wanted.get(key);
      if (spec && sameCheck(spec.check, running.spec.check)) continue;
      running.stop();
      running.spec.upstream.health.checkRemoved();
      this.running.delete(key);
    }
    for (const [key, spec] of wanted) if (!this.running.has(key)) this.running.set(key, new RunningCheck(spec, this.onHealth));
  }

  /** The path checked on this origin, if any (the first one when several routes differ). */
  pathFor(origin: string): string | undefined {
    for (const running of this.running.values()) if (running.spec.upstream.origin === origin) return running.spec.check.path;
    return undefined;
  }

  stop(): void {
    for (const running of this.running.values()) running.stop();
    this.running.clear();
  }
}
