// The per-route switches as both sides read them: a route's own value, else the one in
// settings.defaults (the firewall field by field), and how a switch is put in words. The
// engine compiles its stages from effectiveSwitches(); the UI's cards show the same
// values, so a rule written here is never written twice. No Node imports (the renderer
// uses this).
import type { BalancePolicy } from './balance.js';
import { RouteDefaultsSchema, type Route, type Settings } from './config.js';
import type { Firewall } from './firewall.js';
import { THROTTLE_PROFILES, type ThrottleProfileName } from './shaping.js';

/** settings.defaults: what a route without its own switch gets. */
export type RouteDefaults = Settings['defaults'];

/** The switches a route runs with, defaults applied: one field per field of settings.defaults. */
export type EffectiveSwitches = {
  readonly [K in keyof RouteDefaults]-?: K extends 'firewall'
    ? Firewall
    : K extends 'balance'
      ? BalancePolicy
      : Exclude<Route[K] | RouteDefaults[K], undefined> | undefined;
};

/** Every field settings.defaults has: a switch a route may leave to the default. */
const SWITCHES = Object.keys(RouteDefaultsSchema.shape) as (keyof RouteDefaults)[];

/**
 * A route's switches: its own value where it has one, else the default — for every field
 * of settings.defaults, so a new switch added there is picked up here by itself. The
 * firewall is merged field by field: a route that sets only rateLimit keeps the default
 * allow-list; one that sets "rateLimit": false or "deny": [] switches that default off.
 */
export function effectiveSwitches(route: Partial<Pick<Route, keyof RouteDefaults>>, defaults: Partial<RouteDefaults> | undefined): EffectiveSwitches {
  const switches: Record<string, unknown> = {};
  for (const key of SWITCHES) switches[key] = route[key] ?? defaults?.[key];
  switches.firewall = { ...defaults?.firewall, ...route.firewall };
  switches.balance = route.balance ?? defaults?.balance ?? 'round-robin';
  return switches as EffectiveSwitches;
}

export const THROTTLE_PROFILE_NAMES: Record<ThrottleProfileName, string> = { 'slow-3g': 'Slow 3G', 'fast-3g': 'Fast 3G' };

/** A throttle as written in the config or while a form is being filled in (numbers may be missing). */
export type ThrottleSetting = ThrottleProfileName | { latencyMs?: number | undefined; downKbps?: number | undefined; upKbps?: number | undefined };

/**
 * A throttle in words: `mark` for the traffic inspector ("fast-3g (562.5 ms, ↓1440 ↑675
 * kbit/s)", the numbers that ran), `card` for the route card ("Fast 3G", "Custom: 100 ms,
 * 1000↓/500↑ kbit/s") and `numbers` alone ("562.5 ms, ↓1440 ↑675 kbit/s", beside a
 * profile's name in the form). Undefined when the throttle is off.
 */
export function describeThrottle(setting: ThrottleSetting | false | undefined): { mark: string; card: string; numbers: string } | undefined {
  if (setting === undefined || setting === false) return undefined;
  const numbers = typeof setting === 'string' ? THROTTLE_PROFILES[setting] : setting;
  const latencyMs = numbers.latencyMs ?? 0;
  const { downKbps, upKbps } = numbers;
  const rate = (arrow: string, kbps: number | undefined) => (kbps === undefined ? '' : ` ${arrow}${kbps}`);
  const rates = downKbps === undefined && upKbps === undefined ? '' : `,${rate('↓', downKbps)}${rate('↑', upKbps)} kbit/s`;
  const inNumbers = `${latencyMs} ms${rates}`;
  if (typeof setting === 'string') return { mark: `${setting} (${inNumbers})`, card: THROTTLE_PROFILE_NAMES[setting], numbers: inNumbers };
  const cardRates = downKbps === undefined && upKbps === undefined ? 'no rate limit' : `${downKbps ?? '∞'}↓/${upKbps ?? '∞'}↑ kbit/s`;
  return { mark: inNumbers, card: `Custom: ${latencyMs} ms, ${cardRates}`, numbers: inNumbers };
}
