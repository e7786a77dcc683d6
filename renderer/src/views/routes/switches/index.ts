// Every per-route switch, in the order the form and the card show them. Add one here.
import { authSwitch } from './auth.js';
import { balanceSwitch } from './balance.js';
import { cacheSwitch } from './cache.js';
import { compressionSwitch } from './compression.js';
import { firewallSwitch } from './firewall.js';
import { headersSwitch } from './headers.js';
import { redirectSwitch } from './redirect.js';
import { rewriteSwitch } from './rewrite.js';
import { shareSwitch } from './share.js';
import { throttleSwitch } from './throttle.js';
import type { RouteSwitch } from './types.js';

export const ROUTE_SWITCHES: readonly RouteSwitch[] = [
  redirectSwitch,
  balanceSwitch,
  authSwitch,
  firewallSwitch,
  throttleSwitch,
  compressionSwitch,
  cacheSwitch,
  headersSwitch,
  rewriteSwitch,
  shareSwitch,
];
