// `--route HOST[/PATH]=URL[,URL…]`: a route for this run only, checked by the same
// RouteSchema as the config file so the messages match.
import { RouteSchema, type Route } from '../contract/index.js';
import { readableIssue, valueAt } from '../config/index.js';
import { UsageError } from './errors.js';
import { ROUTE_FLAG_EXAMPLE } from './help.js';

export function parseRouteFlag(raw: string): Route {
  const equals = raw.indexOf('=');
  if (equals < 0) {
    throw new UsageError(`--route "${raw}" must look like HOST=URL, e.g. --route ${ROUTE_FLAG_EXAMPLE}`);
  }
  const left = raw.slice(0, equals).trim();
  const right = raw.slice(equals + 1).trim();

  // "shop.localhost/api=…" carries a path prefix. A scheme on the left ("http://shop…")
  // is left whole so the schema's "no scheme" message shows what was typed.
  const slash = left.includes('://') ? -1 : left.indexOf('/');
  const host = slash < 0 ? left : left.slice(0, slash);
  const pathPrefix = slash < 0 ? undefined : left.slice(slash);
  const urls = right.split(',').map((url) => url.trim());

  const input: Record<string, unknown> = { host };
  if (pathPrefix !== undefined) input.pathPrefix = pathPrefix;
  if (urls.length === 1) input.target = urls[0];
  else input.targets = urls;

  const result = RouteSchema.safeParse(input, { error: readableIssue });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const [field] = issue.path;
    const got = valueAt(input, issue.path);
    // The user typed one URL list, not "target"/"targets": name it as the flag's URL.
    const name = field === 'targets' || field === 'target' ? 'URL' : String(field ?? 'route');
    return `${name} ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
  });
  throw new UsageError(`--route "${raw}": ${problems.join('; ')}`);
}
