// Path deny rules: 403 for paths the route must never serve (an admin area, dot files).
import { effectiveFirewall } from './effective-firewall.js';
import { compileDeny } from './path-rules.js';
import type { PolicyFactory } from '../stage.js';

export const pathDenyPolicy: PolicyFactory = (route, defaults) => {
  const deny = effectiveFirewall(route.firewall, defaults?.firewall).deny;
  if (!deny || deny.length === 0) return undefined;
  const rules = compileDeny(deny);
  return {
    name: 'firewall: path deny',
    request(req) {
      const rule = rules.match(req.url ?? '/');
      if (rule === undefined) return undefined;
      return {
        status: 403,
        title: 'Path refused',
        message: `${route.host} refuses this path (firewall rule ${rule}).`,
        mark: `firewall: path denied (${rule})`,
      };
    },
  };
};
