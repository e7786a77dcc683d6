// Client allow-list: only peers inside one of the route's CIDR ranges get through.
import { cidrContains, parseCidr, parseIp, type Cidr } from '../../contract/index.js';
import type { StageFactory } from '../stage.js';

export function isAllowed(ranges: readonly Cidr[], peer: string | undefined): boolean {
  const ip = peer === undefined ? undefined : parseIp(peer);
  return ip !== undefined && ranges.some((range) => cidrContains(range, ip));
}

export const ipAllowPolicy: StageFactory = (route, switches) => {
  const allow = switches.firewall.allow;
  if (!allow) return undefined;
  const ranges = allow.map((text) => parseCidr(text)!); // the schema checked each one
  return {
    name: 'firewall: allow-list',
    describe: () => `only ${allow.join(', ')}`,
    request(ex) {
      const peer = ex.req.socket.remoteAddress;
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
