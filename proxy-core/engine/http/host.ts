// Host header → the name routes are matched on. Pure functions, no Node imports.

/** hostname[:port] or [v6]:port — anything else in a Host header is refused with 400. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d{1,5})?$/i;

/**
 * Lower-cased hostname without port or trailing dot, or `undefined` when the header
 * is missing or malformed (so it can never be echoed into a Location or a page).
 */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  // A dev proxy sees the same few Host headers over and over: remember the last answer.
  if (hostHeader === lastHeader) return lastName;
  const name = parseHostname(hostHeader);
  lastHeader = hostHeader;
  lastName = name;
  return name;
}

let lastHeader: string | undefined;
let lastName: string | undefined;

function parseHostname(hostHeader: string | undefined): string | undefined {
  if (!hostHeader || !HOST_HEADER.test(hostHeader)) return undefined;
  let end = hostHeader.length;
  if (hostHeader.charCodeAt(0) === 91 /* [ */) {
    end = hostHeader.indexOf(']') + 1;
  } else {
    const colon = hostHeader.indexOf(':');
    if (colon !== -1) end = colon;
  }
  if (hostHeader.charCodeAt(end - 1) === 46 /* . */) end--;
  const name = hostHeader.slice(0, end);
  // Most clients already send lower case: skip the copy then.
  return /[A-Z]/.test(name) ? name.toLowerCase() : name;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1', '0.0.0.0']);

/** True for the names a backend uses when it means "this machine". */
export function isLoopbackName(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
