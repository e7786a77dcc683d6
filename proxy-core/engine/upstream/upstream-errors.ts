// Backend failures in words a developer acts on. Pure: error code in, status and sentence out.
import type { Upstream } from './pool.js';

/** Set on the error we raise ourselves when headers take longer than `timeouts.responseMs`. */
export const RESPONSE_TIMEOUT = 'PORTICO_RESPONSE_TIMEOUT';

export interface UpstreamFailure {
  status: 502 | 504;
  /** Short cause, e.g. "connection refused". */
  cause: string;
  /** The sentence for the page. */
  advice: string;
}

export function describeUpstreamError(err: NodeJS.ErrnoException, upstream: Upstream, timeouts: { connectMs: number; responseMs: number }): UpstreamFailure {
  const at = upstream.address;
  const seconds = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return { status: 502, cause: 'connection refused', advice: `Nothing is listening on ${at} — is your dev server running?` };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        status: 502,
        cause: 'connection reset',
        advice: `${at} closed the connection before it finished answering — did the dev server crash or restart?`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { status: 502, cause: 'name not found', advice: `${upstream.url.hostname} does not resolve to an address — check the route's target.` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { status: 502, cause: 'host unreachable', advice: `${at} cannot be reached from this machine.` };
    case 'ECONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { status: 504, cause: 'connect timeout', advice: `${at} did not accept the connection within ${seconds(timeouts.connectMs)}.` };
    case RESPONSE_TIMEOUT:
      return {
        status: 504,
        cause: 'response timeout',
        advice: `${at} accepted the request but sent no response within ${seconds(timeouts.responseMs)} — is it stuck (a breakpoint, a long task)?`,
      };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return { status: 502, cause: 'TLS certificate rejected', advice: `${at} presented a certificate this machine does not trust (${err.code}).` };
    default:
      if (err.code?.startsWith('HPE_')) {
        return { status: 502, cause: 'invalid HTTP', advice: `${at} answered with something that is not valid HTTP (${err.code}).` };
      }
      return { status: 502, cause: err.code ?? 'proxy error', advice: `Talking to ${at} failed: ${err.message}` };
  }
}
