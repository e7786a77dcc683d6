// Every per-route switch, in the order the form and the card show them. Add one here.
import { balanceSwitch } from './balance.js';
import { cacheSwitch } from './cache.js';
import { compressionSwitch } from './compression.js';
import { headersSwitch } from './headers.js';
import { redirectSwitch } from './redirect.js';
import { rewriteSwitch } from './rewrite.js';
import { throttleSwitch } from './throttle.js';
import type { RouteSwitch } from './types.js';

export const ROUTE_SWITCHES: readonly RouteSwitch[] = [
  redirectSwitch,
  balanceSwitch,
  throttleSwitch,
  compressionSwitch,
  cacheSwitch,
  headersSwitch,
  rewriteSwitch,
];
