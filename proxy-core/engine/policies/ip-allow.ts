// Client allow-list: only peers inside one of the route's CIDR ranges get through.
import { cidrContains, parseCidr, parseIp, type Cidr } from '../../contract/index.js';
import { effectiveFirewall } from './effective-firewall.js';
import type { PolicyFactory } from '../stage.js';

export function isAllowed(ranges: readonly Cidr[], peer: string | undefined): boolean {
  const ip = peer === undefined ? undefined : parseIp(peer);
  return ip !== undefined && ranges.some((range) => cidrContains(range, ip));
}

export const ipAllowPolicy: PolicyFactory = (route, defaults) => {
  const allow = effectiveFirewall(route.firewall, defaults?.firewall).allow;
  if (!allow) return undefined;
  const ranges = allow.map((text) => parseCidr(text)!); // the schema checked each one
  return {
    name: 'firewall: allow-list',
    request(req) {
      const peer = req.socket.remoteAddress;
      if (isAllowed(ranges, peer)) return undefined;
      return {
        status: 403,
        title: 'Address not allowed',
        message: `${route.host} only serves the addresses in its firewall allow-list; ${peer ?? 'this client'} is not one of them.`,
        mark: `firewall: address not allowed (${peer ?? 'unknown'})`,
      };
    },
  };
};
