// A route's firewall is settings.defaults.firewall with the route's own fields laid over it,
// field by field: a route that sets only rateLimit keeps the default allow-list; one that
// sets "rateLimit": false or "deny": [] switches that default off for itself.
import type { Firewall } from '../../contract/index.js';

export function effectiveFirewall(own: Firewall | undefined, defaults: Firewall | undefined): Firewall {
  return { ...defaults, ...own };
}
