// Redirect routes: a route with "redirect" instead of a target answers every request
// itself, no backend involved. It rides the policy seam as a request step that always
// "refuses" with a 3xx and a Location, so the capture marks it like Portico's other answers.
import type { Redirect } from '../../contract/index.js';
import type { Stage, StageFactory } from '../stage.js';

const TITLES: Record<Redirect['status'], string> = {
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
};

/** Where a request goes: `to`, plus (keepPath) what follows the route's prefix and the query. */
export function redirectLocation(redirect: Redirect, routePrefix: string, url: string): string {
  // The route matched, so the rest is empty or starts with "/" or "?".
  const rest = url.slice(routePrefix.length);
  if (!redirect.keepPath || rest === '') return redirect.to;
  const base = redirect.to.replace(/\/+$/, '');
  return rest.startsWith('?') ? `${base || '/'}${rest}` : `${base}${rest}`;
}

export function redirectPolicy(redirect: Redirect, routePrefix: string): Stage {
  return {
    name: 'redirect',
    describe: () => `${redirect.status} → ${redirect.to}${redirect.keepPath ? ' (path kept)' : ''}`,
    request(ex) {
      const location = redirectLocation(redirect, routePrefix, ex.req.url ?? '/');
      return {
        status: redirect.status,
        title: TITLES[redirect.status],
        message: `This address moved to ${location}.`,
        headers: { location },
        mark: `redirect ${redirect.status} → ${location}`,
      };
    },
  };
}

export const redirectRoute: StageFactory = (route) => {
  if (!route.redirect) return undefined;
  const prefix = route.pathPrefix === '/' ? '' : (route.pathPrefix ?? '');
  return redirectPolicy(route.redirect, prefix);
};
