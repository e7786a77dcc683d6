// Header rules as a route policy: hide the backend (Server, X-Powered-By) and
// remove/set/add request and response headers. Rules run in that order — remove, set,
// add — so "set" replaces a header the backend sent and "add" appends a line to it.
//
// Where they apply: requests on their way to the backend (HTTP and WebSocket upgrades)
// and the backend's responses, including responses the cache stores and later serves
// (the response step runs before the cache sees the headers). Portico's own pages
// (errors, refusals, redirect routes) are not the backend's, so the rules leave them be.
import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderRuleSet, HeaderRules } from '../../contract/index.js';
import type { Stage, StageFactory } from '../stage.js';

/** What a backend says about itself; hideBackend removes these. */
const BACKEND_HEADERS = ['server', 'x-powered-by'];

interface CompiledRules {
  readonly remove: ReadonlySet<string>;
  readonly set: readonly [string, string][];
  readonly add: readonly [string, string][];
}

function compile(rules: HeaderRuleSet | undefined, alsoRemove: readonly string[] = []): CompiledRules | undefined {
  const remove = new Set([...alsoRemove, ...(rules?.remove ?? [])]);
  const set = Object.entries(rules?.set ?? {});
  const add = Object.entries(rules?.add ?? {});
  if (remove.size === 0 && set.length === 0 && add.length === 0) return undefined;
  return { remove, set, add };
}

/** Applies the rules to a header object and returns it (a new one when something was removed). */
export function applyHeaderRules(headers: IncomingHttpHeaders, rules: CompiledRules): IncomingHttpHeaders {
  let out = headers;
  if (rules.remove.size > 0 && Object.keys(headers).some((name) => rules.remove.has(name))) {
    // A fresh object rather than `delete`, which would turn it into a slow dictionary (incoming.ts).
    out = {};
    for (const name in headers) if (!rules.remove.has(name)) out[name] = headers[name];
  }
  for (const [name, value] of rules.set) out[name] = value;
  for (const [name, value] of rules.add) {
    const present = out[name];
    if (present === undefined) out[name] = value;
    // Node joins repeated fields with ", " except Set-Cookie, which stays a list.
    else if (Array.isArray(present)) out[name] = [...present, value];
    else out[name] = name === 'set-cookie' ? [present, value] : `${present}, ${value}`;
  }
  return out;
}

/** Copies `from` into `into` in place: the response head object is shared with the code after the policies. */
function replaceInPlace(into: IncomingHttpHeaders, from: IncomingHttpHeaders): void {
  if (into === from) return;
  for (const name in into) if (!(name in from)) delete into[name];
  Object.assign(into, from);
}

export function headerRulesPolicy(rules: HeaderRules): Stage | undefined {
  const request = compile(rules.request);
  const response = compile(rules.response, rules.hideBackend ? BACKEND_HEADERS : []);
  if (!request && !response) return undefined;
  const count = (set: CompiledRules | undefined) => (set ? set.remove.size + set.set.length + set.add.length : 0);
  const policy: { -readonly [K in keyof Stage]: Stage[K] } = {
    name: 'header rules',
    describe: () => `${count(request)} request and ${count(response)} response header rule(s)`,
  };
  if (request) {
    policy.request = (ex) => {
      ex.req.headers = applyHeaderRules(ex.req.headers, request);
      return undefined;
    };
  }
  if (response) policy.responseHead = (_ex, headers) => replaceInPlace(headers, applyHeaderRules(headers, response));
  return policy;
}

/** A route's own `headers` replace the defaults' whole (no merging: what is written is what runs). */
export const headerRules: StageFactory = (_route, switches) => {
  const rules = switches.headers;
  return rules ? headerRulesPolicy(rules) : undefined;
};
