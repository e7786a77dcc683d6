// Path deny rules: 403 for paths the route must never serve (an admin area, dot files).
import { compileDeny } from './path-rules.js';
import type { StageFactory } from '../stage.js';

export const pathDenyPolicy: StageFactory = (route, switches) => {
  const deny = switches.firewall.deny;
  if (!deny || deny.length === 0) return undefined;
  const rules = compileDeny(deny);
  return {
    name: 'firewall: path deny',
    describe: () => `refuses ${deny.map((rule) => (typeof rule === 'string' ? rule : `regex ${rule.regex}`)).join(', ')}`,
    request(ex) {
      const rule = rules.match(ex.req.url ?? '/');
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
