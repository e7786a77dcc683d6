// When a request that failed on its way to one target may be sent once more, to another.
// Pure: the error code, the method and whether the body began to flow in, a yes or no out.
//
// The rule:
// 1. The connection was never made (refused, connect timeout, unreachable, name not
//    found): not a byte reached the backend, so any method may go elsewhere.
// 2. The connection broke before any response (reset, broken pipe): the backend may
//    have got the request and acted on it, so only idempotent methods (RFC 9110 §9.2.2:
//    GET, HEAD, OPTIONS, TRACE, PUT, DELETE) go elsewhere; a POST or PATCH never does.
// 3. In both cases the request body must not have started to flow in from the client:
//    Portico streams bodies and keeps no copy, so bytes already read were handed to the
//    failed attempt and cannot be sent again. A request without a body always qualifies.
// 4. Anything else (a slow answer, invalid HTTP, a TLS refusal) is the backend's answer
//    and is not retried. The caller also checks that nothing was sent to the client yet,
//    that this is the first retry, and that another target is up.

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ECONNECT_TIMEOUT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const LOST_BEFORE_ANSWER = new Set(['ECONNRESET', 'EPIPE']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export function mayRetry(code: string | undefined, method: string | undefined, bodyStarted: boolean): boolean {
  if (code === undefined || bodyStarted) return false;
  if (NEVER_CONNECTED.has(code)) return true;
  return LOST_BEFORE_ANSWER.has(code) && IDEMPOTENT.has(method ?? 'GET');
}
